using System.Text.RegularExpressions;

namespace Remediation.Service.Repair.Slurm;

/// <summary>
/// Reads `scontrol show node NAME`. Debian's Slurm 22.05 has no --json, and the one-line form (-o) cannot be split
/// because Reason holds spaces, so this reads the multi-line form where Reason has a line of its own.
/// </summary>
public static partial class SlurmNodeText
{
    // slurmctld appends who set the reason and when: "remediation: inc-1 [root@2026-11-25T09:06:35]".
    [GeneratedRegex(@"\s*\[[^\[\]@]*@[^\[\]]*\]$")]
    private static partial Regex SetBySuffix();

    // and, on a node it reboots, how the reboot went: "remediation: inc-1 : reboot issued", then " : reboot complete" after it.
    [GeneratedRegex(@"(?: : reboot (?:issued|complete|timed out))+$")]
    private static partial Regex RebootSuffix();

    public static SchedulerNodeState Parse(string node, string text)
    {
        string? state = null, reason = null, bootTime = null;
        var timedOut = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("State=", StringComparison.Ordinal))
                state = line["State=".Length..].Split(' ', 2)[0];
            else if (line.StartsWith("Reason=", StringComparison.Ordinal))
            {
                reason = SetBySuffix().Replace(line["Reason=".Length..], "");
                timedOut = reason.EndsWith(" : reboot timed out", StringComparison.Ordinal);
                reason = RebootSuffix().Replace(reason, "");
            }
            else if (line.StartsWith("BootTime=", StringComparison.Ordinal))
                bootTime = line["BootTime=".Length..].Split(' ', 2)[0];
        }
        if (state is null) throw new SchedulerException($"scontrol show node {node} printed no State: {text}");
        var flags = state.ToUpperInvariant().Split('+');
        // DRAIN is a flag on the base state (IDLE+DRAIN, DOWN+DRAIN); sinfo-style DRAINING/DRAINED contain it too.
        var drained = state.Contains("DRAIN", StringComparison.OrdinalIgnoreCase)
            // A reboot with nextstate=DOWN clears DRAIN and leaves the node DOWN with our reason: still held for us.
            || (flags.Contains("DOWN") && reason?.StartsWith(SlurmScheduler.ReasonPrefix, StringComparison.Ordinal) == true);
        // MIXED+DRAIN, ALLOCATED+DRAIN and IDLE+COMPLETING+DRAIN are what sinfo calls "draining": jobs still hold the node.
        var busy = flags.Any(part => part is "ALLOCATED" or "ALLOC" or "MIXED" or "MIX" or "COMPLETING");
        var reboot = flags.Contains("REBOOT_ISSUED") ? SchedulerReboot.Issued
            : flags.Contains("REBOOT_REQUESTED") ? SchedulerReboot.Requested
            : timedOut ? SchedulerReboot.TimedOut
            : SchedulerReboot.None;
        return new SchedulerNodeState(node, state, drained, drained ? reason : null, busy, reboot, bootTime is "None" ? null : bootTime);
    }
}
