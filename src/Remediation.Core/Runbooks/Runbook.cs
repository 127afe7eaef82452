namespace Remediation.Core.Runbooks;

public sealed record Runbook(
    string Name,
    string Description,
    string File,
    IReadOnlyList<RunbookTrigger> Triggers,
    IReadOnlyList<RunbookStep> Steps,
    RunbookStep? Verify,
    string? OnFailure,
    bool Shadow = false,
    Quarantine? Quarantine = null,
    Evidence? Evidence = null);

/// <summary>
/// Before its first step the runbook takes the node out of the scheduler and waits for its work to leave, for at most
/// <paramref name="Timeout"/> a try; once verified, it gives back what it took. With <see cref="Kinds"/>, only for
/// incidents of those fault kinds (a flapping link still carries traffic; a dead one does not).
/// </summary>
public sealed record Quarantine(TimeSpan Timeout)
{
    public IReadOnlySet<string>? Kinds { get; init; }

    public bool AppliesTo(string kind) => Kinds is null || Kinds.Contains(kind);
}

/// <summary>
/// Before its first step, once the node is quarantined, the agent collects what the step would destroy: the GPUs'
/// serials and UUIDs and an nvidia-bug-report, within <paramref name="Timeout"/>. Once per incident.
/// </summary>
public sealed record Evidence(TimeSpan Timeout);

public sealed record RunbookTrigger(
    IReadOnlySet<string> Kinds, IReadOnlySet<int> Xids, string? AfterFailed, Threshold? Threshold)
{
    /// <summary>The catalog buckets the trigger named; an NVLink5 Xid matches by its decoded resolution among them.</summary>
    public IReadOnlySet<string> XidBuckets { get; init; } = new HashSet<string>();

    /// <summary>NVSwitch SXid numbers this trigger is limited to; empty for any.</summary>
    public IReadOnlySet<int> Sxids { get; init; } = new HashSet<int>();

    /// <summary>Only faults the driver called fatal (true) or not (false); null for either.</summary>
    public bool? Fatal { get; init; }
}

public sealed record RunbookStep(
    string Name, string Action, IReadOnlyDictionary<string, string> Args, TimeSpan Timeout, int Retries, bool HighRisk);

/// <summary>
/// Count faults within <paramref name="Window"/>. Faults of one fingerprint within <paramref name="Burst"/> of the
/// last one counted are one event (many links of one NVSwitch reporting in the same instant), not several.
/// </summary>
public sealed record Threshold(int Count, TimeSpan Window, TimeSpan? Burst = null);
