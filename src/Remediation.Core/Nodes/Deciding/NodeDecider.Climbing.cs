using Remediation.Core.Runbooks;

namespace Remediation.Core.Nodes.Deciding;

/// <summary>Where on the ladder a new incident starts: higher for a repeat, at the top for a lemon GPU.</summary>
public sealed partial class NodeDecider
{
    /// <summary>
    /// A GPU that keeps coming back is not fixed by another reset: the Nth incident on one device within the window
    /// goes straight to the last rung, whatever the fault. Only faults that name a device count.
    /// </summary>
    private string? Lemon(NodeState state, string fingerprint, DateTimeOffset now)
    {
        if (DeviceOf(fingerprint) is not { } device || !runbooks.Contains(options.LemonRunbook)) return null;
        var earlier = state.History.Count(p => DeviceOf(p.Fingerprint) == device && now - p.ClosedAt <= options.LemonWindow);
        return earlier + 1 >= options.LemonIncidents
            ? $"lemon: incident {earlier + 1} on {device} within {options.LemonWindow.TotalDays:0.#}d; going straight to {options.LemonRunbook}"
            : null;
    }

    /// <summary>Fingerprints are kind:xid:device, and a PCI device has colons of its own.</summary>
    private static string? DeviceOf(string fingerprint) => fingerprint.Split(':', 3) is [_, _, var device] && device != "-" ? device : null;

    /// <summary>The same fault soon after its last incident closed starts one rung above where that one ended.</summary>
    private Runbook Climb(Decision d, string fingerprint, Runbook proposed, DateTimeOffset now, out string? reason)
    {
        if (Lemon(d.State, fingerprint, now) is { } lemon)
        {
            reason = lemon;
            return runbooks[options.LemonRunbook];
        }
        reason = null;
        var previous = d.State.History.LastOrDefault(p => p.Fingerprint == fingerprint && now - p.ClosedAt <= options.RepeatWindow);
        if (previous?.LastRunbook is not { } last || runbooks[last].OnFailure is not { } higher) return proposed;
        if (runbooks.Height(higher) >= runbooks.Height(proposed.Name)) return proposed;
        reason = $"repeat of {fingerprint} within {options.RepeatWindow} of {previous.IncidentId} (ended at {last}): climbing one rung";
        return runbooks[higher];
    }
}
