namespace Remediation.Agent.Commands;

public sealed record ParseOptions(string Node, string? Cluster, bool Help)
{
    public static bool TryRead(IReadOnlyList<string> args, string defaultNode, out ParseOptions options, out string? problem)
    {
        options = new ParseOptions(defaultNode, null, Help: false);
        problem = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    options = options with { Help = true };
                    break;
                case "--node" when i + 1 < args.Count:
                    options = options with { Node = args[++i] };
                    break;
                case "--cluster" when i + 1 < args.Count:
                    options = options with { Cluster = args[++i] };
                    break;
                case "--node" or "--cluster":
                    problem = $"{args[i]} needs a value";
                    return false;
                default:
                    problem = $"unknown option '{args[i]}'";
                    return false;
            }
        }

        // The service rejects such node ids, so fail here where the operator can see why.
        if (string.IsNullOrWhiteSpace(options.Node) || options.Node.Length > 253 || options.Node.Any(char.IsWhiteSpace))
        {
            problem = $"node '{options.Node}' is not a host name";
            return false;
        }
        if (options.Cluster is { } cluster && string.IsNullOrWhiteSpace(cluster))
        {
            problem = "--cluster needs a value";
            return false;
        }
        return true;
    }
}
