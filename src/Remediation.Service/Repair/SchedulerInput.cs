using System.Text.RegularExpressions;

namespace Remediation.Service.Repair;

/// <summary>
/// Checks what reaches a scheduler from a runbook step. A node name becomes part of an argv (Slurm) or a URL path
/// (Kubernetes), so it must be a plain host name: no leading dash that a command would read as an option, no
/// range syntax that would make scontrol act on many nodes, nothing a shell or a URL would interpret.
/// </summary>
public static partial class SchedulerInput
{
    public const int MaxReasonLength = 200;

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$")]
    private static partial Regex NodeName();

    /// <summary>Returns why the input cannot be used, or null when it can.</summary>
    public static string? Problem(string node, string reason)
    {
        if (string.IsNullOrEmpty(node) || !NodeName().IsMatch(node))
            return $"node name '{node}' is not a plain host name (letters, digits, '.', '_', '-')";
        if (string.IsNullOrWhiteSpace(reason)) return "a reason is required";
        if (reason.Length > MaxReasonLength) return $"reason is longer than {MaxReasonLength} characters";
        if (reason.Any(char.IsControl)) return "reason contains control characters";
        return null;
    }
}
