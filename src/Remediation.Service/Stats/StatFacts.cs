using Remediation.Core.Nodes;

namespace Remediation.Service.Stats;

/// <summary>An incident as the runbook statistics count it, written once when it closes.</summary>
public sealed record IncidentClosed(
    string IncidentId, string NodeId, string? Device, string Fault, string Runbook, int Escalations, string Outcome,
    DateTimeOffset OpenedAt, DateTimeOffset ClosedAt);

/// <summary>A step that failed or timed out, counted per day.</summary>
public sealed record StepFaulted(DateOnly Day, string Runbook, string Step, string Action, bool TimedOut);

/// <summary>
/// What the statistics learn from one event, given the node's state before it: pure, so the commit and a rebuild
/// from the streams count exactly alike.
/// </summary>
public static class StatsFold
{
    public const string FixedFirstRung = "fixed_first_rung";
    public const string FixedEscalated = "fixed_escalated";
    public const string HandedToHuman = "handed_to_human";
    public const string Rma = "rma";
    public const string Observed = "observed";

    public static object? Fact(NodeState before, object e) => (before.Incident, e) switch
    {
        ({ } i, IncidentResolved r) => Closed(before, i, r.ResolvedAt),
        ({ } i, NodeReleased r) => Closed(before, i, r.ReleasedAt),
        // A fabric storm's let-go resolves the incident its join opened to watch the node: observed, nothing done.
        ({ } i, NodeLeftStorm { ResolvedIncident: not null } l) => Closed(before, i, l.LeftAt),
        ({ } i, StepFailed f) => new StepFaulted(DateOnly.FromDateTime(f.FinishedAt.UtcDateTime), i.Runbook ?? "none", f.Step, f.Action, TimedOut: false),
        ({ } i, StepTimedOut t) => new StepFaulted(DateOnly.FromDateTime(t.TimedOutAt.UtcDateTime), i.Runbook ?? "none", t.Step, t.Action, TimedOut: true),
        _ => null,
    };

    public static bool Counts(object e) => e is IncidentResolved or NodeReleased or NodeLeftStorm { ResolvedIncident: not null } or StepFailed or StepTimedOut;

    /// <summary>Folds a node's new events from the state they were decided on, collecting what they add to the statistics.</summary>
    public static IEnumerable<object> Facts(NodeState from, IEnumerable<object> events)
    {
        var state = from;
        foreach (var e in events)
        {
            if (Fact(state, e) is { } fact) yield return fact;
            state = NodeEvolution.Evolve(state, e);
        }
    }

    public static string FaultOf(string kind, int? xid) => xid is { } x ? $"xid:{x}" : kind;

    private static IncidentClosed Closed(NodeState before, Incident i, DateTimeOffset at)
    {
        var outcome = i.HandedOver ? HandedToHuman
            : i.RmaRequested ? Rma
            : i.RunbooksTried.Count == 0 ? Observed
            : i.RunbooksTried.Count == 1 ? FixedFirstRung
            : FixedEscalated;
        return new IncidentClosed(i.Id, before.Id, i.Device, FaultOf(i.Kind, i.Xid), i.RunbooksTried.FirstOrDefault() ?? "none",
            Math.Max(0, i.RunbooksTried.Count - 1), outcome, i.OpenedAt, at);
    }
}
