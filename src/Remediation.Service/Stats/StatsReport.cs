namespace Remediation.Service.Stats;

/// <summary>Which runbooks work: GET /api/stats and <c>remediation stats</c>.</summary>
public sealed record StatsReport(
    DateTimeOffset Since, DateTimeOffset Until,
    IReadOnlyList<RunbookOutcomes> Runbooks, IReadOnlyList<FaultOutcomes> Faults, IReadOnlyList<FailingStep> FailingSteps,
    IReadOnlyList<Lemon> Lemons, IReadOnlyList<DayCount> IncidentsOverTime);

/// <summary>
/// Incidents that closed in the period by the runbook they started on: fixed on that first rung, escalated, handed to
/// a human, sent to RMA; and the time from detection to closing.
/// </summary>
public sealed record RunbookOutcomes(
    string Runbook, int Incidents, int FixedFirstRung, int Escalations, int HandedToHuman, int Rmas,
    double? RecoveryP50Seconds, double? RecoveryP90Seconds);

/// <summary>The same by fault: <c>xid:79</c>, <c>ecc</c>, <c>link_flap</c>.</summary>
public sealed record FaultOutcomes(
    string Fault, int Incidents, int FixedFirstRung, int Escalations, int HandedToHuman, int Rmas,
    double? RecoveryP50Seconds, double? RecoveryP90Seconds);

public sealed record FailingStep(string Runbook, string Step, string Action, int Failed, int TimedOut);

public sealed record Lemon(string NodeId, string? Device, int Incidents);

public sealed record DayCount(DateOnly Day, string Fault, int Incidents);
