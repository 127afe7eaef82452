using System.Text.RegularExpressions;

namespace Remediation.Contracts;

/// <summary>
/// What a node id may look like: a host name as Slurm, Kubernetes and DNS use them. Node ids become stream keys,
/// routing keys and scheduler arguments, so nothing else gets in.
/// </summary>
public static partial class NodeNames
{
    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,251}[A-Za-z0-9])?\z")]
    private static partial Regex Pattern();

    public static bool IsValid(string? nodeId) => nodeId is not null && Pattern().IsMatch(nodeId);
}
