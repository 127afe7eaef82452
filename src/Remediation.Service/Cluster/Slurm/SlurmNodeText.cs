using System.Text.RegularExpressions;

namespace Remediation.Service.Cluster.Slurm;

/// <summary>
/// Reads `scontrol show node NAME`. Debian's Slurm 22.05 has no --json, and the one-line form (-o) cannot be split
/// because Reason holds spaces, so this reads the multi-line form where Reason has a line of its own.
/// </summary>
public static partial class SlurmNodeText
{
    // slurmctld appends who set the reason and when: "remediation: inc-1 [root@2026-11-25T09:06:35]".
    [GeneratedRegex(@"\s*\[[^\[\]@]*@[^\[\]]*\]$")]
    private static partial Regex SetBySuffix();

    public static SchedulerNodeState Parse(string node, string text)
    {
        string? state = null, reason = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("State=", StringComparison.Ordinal))
                state = line["State=".Length..].Split(' ', 2)[0];
            else if (line.StartsWith("Reason=", StringComparison.Ordinal))
                reason = SetBySuffix().Replace(line["Reason=".Length..], "");
        }
        if (state is null) throw new SchedulerException($"scontrol show node {node} printed no State: {text}");
        // DRAIN is a flag on the base state (IDLE+DRAIN, DOWN+DRAIN); sinfo-style DRAINING/DRAINED contain it too.
        var drained = state.Contains("DRAIN", StringComparison.OrdinalIgnoreCase);
        // MIXED+DRAIN, ALLOCATED+DRAIN and IDLE+COMPLETING+DRAIN are what sinfo calls "draining": jobs still hold the node.
        var busy = state.Split('+').Any(part => part.ToUpperInvariant() is "ALLOCATED" or "ALLOC" or "MIXED" or "MIX" or "COMPLETING");
        return new SchedulerNodeState(node, state, drained, drained ? reason : null, busy);
    }
}
