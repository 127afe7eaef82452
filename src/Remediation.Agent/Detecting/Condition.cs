namespace Remediation.Agent.Detecting;

/// <summary>
/// Something a detector sees on one poll. <see cref="Level"/> grows as it gets worse (an error count, or 1 while a
/// flag is set); a condition is reported when it appears or its level rises, not on every poll it stays.
/// </summary>
public sealed record Condition(string Key, string Kind, string? Device, string Message, long Level = 1)
{
    /// <summary>True for counters that carry history from before the agent started: their first reading is the baseline.</summary>
    public bool Baseline { get; init; }

    /// <summary>Tracked, so a later rise is measured from here, but not reported (e.g. a flap counted while the link is down).</summary>
    public bool Silent { get; init; }

    /// <summary>Counters that survive a reboot (aggregate ECC) keep one identity across boots.</summary>
    public bool Lifetime { get; init; }
}
