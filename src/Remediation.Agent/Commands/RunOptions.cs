using System.Globalization;
using Remediation.Agent.Executing.Actions;
using Remediation.Agent.Hosting;

namespace Remediation.Agent.Commands;

public static class RunOptions
{
    public const string DefaultStateDir = "/var/lib/remediation-agent";

    public static bool TryRead(IReadOnlyList<string> args, string defaultNode, string? defaultBroker, out AgentOptions options, out string? problem)
    {
        options = new AgentOptions(defaultNode, null, null!, "/", DefaultStateDir, TimeSpan.FromSeconds(10), DryRun: false, DeclareQueue: true, FollowKmsg: true);
        problem = null;
        string? broker = defaultBroker;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--dry-run") { options = options with { DryRun = true }; continue; }
            if (name is "--no-declare") { options = options with { DeclareQueue = false }; continue; }
            if (name is "--no-kmsg") { options = options with { FollowKmsg = false }; continue; }
            if (i + 1 >= args.Count || !name.StartsWith("--", StringComparison.Ordinal))
            {
                problem = name.StartsWith("--", StringComparison.Ordinal) ? $"{name} needs a value" : $"unexpected argument '{name}'";
                return false;
            }
            var value = args[++i];
            switch (name)
            {
                case "--node": options = options with { NodeId = value }; break;
                case "--cluster": options = options with { Cluster = value }; break;
                case "--rabbitmq": broker = value; break;
                // A file keeps the node's own broker password out of the process list and the pod spec.
                case "--rabbitmq-file" when ReadFile(value) is { } fromFile: broker = fromFile; break;
                case "--rabbitmq-file": problem = $"--rabbitmq-file '{value}' cannot be read"; return false;
                case "--root": options = options with { Root = value }; break;
                case "--state-dir": options = options with { StateDir = value }; break;
                case "--poll" when Duration(value) is { } poll: options = options with { Poll = poll }; break;
                case "--reboot-via" when HostReboot.Names.TryGetValue(value, out var via): options = options with { RebootVia = via }; break;
                case "--reboot-via": problem = $"--reboot-via '{value}' is not one of: {string.Join(", ", HostReboot.Names.Keys)}"; return false;
                case "--poll": problem = $"--poll '{value}' is not a duration like 10s, 500ms or 1m"; return false;
                default: problem = $"unknown option '{name}'"; return false;
            }
        }
        if (broker is null || !Uri.TryCreate(broker, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            problem = "--rabbitmq needs an amqp:// or amqps:// URI (or set REMEDIATION_RABBITMQ)";
            return false;
        }
        if (string.IsNullOrWhiteSpace(options.NodeId) || !Executing.StepRules.IsIdentifier(options.NodeId))
        {
            problem = $"node '{options.NodeId}' is not a host name";
            return false;
        }
        options = options with { Broker = uri };
        return true;
    }

    private static string? ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static TimeSpan? Duration(string text)
    {
        static double? Number(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;
        if (text.EndsWith("ms", StringComparison.Ordinal)) return Number(text[..^2]) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
        if (text.EndsWith('s')) return Number(text[..^1]) is { } s ? TimeSpan.FromSeconds(s) : null;
        if (text.EndsWith('m')) return Number(text[..^1]) is { } m ? TimeSpan.FromMinutes(m) : null;
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero ? span : null;
    }
}
