namespace Remediation.Service.Runbooks;

public sealed record Runbook(
    string Name,
    string Description,
    string File,
    IReadOnlyList<RunbookTrigger> Triggers,
    IReadOnlyList<RunbookStep> Steps,
    RunbookStep? Verify,
    string? OnFailure,
    bool Shadow = false,
    Quarantine? Quarantine = null);

/// <summary>
/// Before its first step the runbook takes the node out of the scheduler and waits for its work to leave, for at most
/// <paramref name="Timeout"/> a try; once verified, it gives back what it took.
/// </summary>
public sealed record Quarantine(TimeSpan Timeout);

public sealed record RunbookTrigger(
    IReadOnlySet<string> Kinds, IReadOnlySet<int> Xids, string? AfterFailed, Threshold? Threshold);

public sealed record RunbookStep(
    string Name, string Action, IReadOnlyDictionary<string, string> Args, TimeSpan Timeout, int Retries, bool HighRisk);

public sealed record Threshold(int Count, TimeSpan Window);

/// <summary>The actions an agent (or the service, for scheduler and ticket actions) knows how to run.</summary>
public static class StepActions
{
    public const string Cordon = "cordon";
    public const string OpenRma = "open_rma";
    public const string Uncordon = "uncordon";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>
    {
        "gpu_reset", "driver_reload", "reboot", "link_bounce", "gpu_health", "link_check", "node_health", Cordon, OpenRma, Uncordon,
    };

    /// <summary>Disruptive by nature: these wait for an approval unless a runbook says otherwise.</summary>
    public static readonly IReadOnlySet<string> RiskyByDefault = new HashSet<string> { "reboot", Cordon, OpenRma };
}
