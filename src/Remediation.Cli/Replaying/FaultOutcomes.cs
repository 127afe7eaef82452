using Remediation.Core.Nodes;

namespace Remediation.Cli.Replaying;

/// <summary>
/// What each replayed fault led to, in words two runs can be compared by: a fault that opened an incident is
/// described by the whole incident (a later fault or a failure may escalate it), any other by its disposition.
/// Incident ids are left out, since one more or one fewer incident earlier renumbers the rest.
/// </summary>
public sealed class FaultOutcomes
{
    private FaultOutcomes(Dictionary<string, string> byFault, int incidents)
    {
        ByFault = byFault;
        Incidents = incidents;
    }

    public IReadOnlyDictionary<string, string> ByFault { get; }

    public int Incidents { get; }

    public static FaultOutcomes Of(ReplayedNode node)
    {
        var dispositions = new Dictionary<string, string>();
        var opened = new Dictionary<string, IncidentSummary>();
        // An incident already open at the start is followed too, so its later steps are not attributed elsewhere.
        var current = node.Decisions.Count > 0 ? new IncidentSummary() : null;
        foreach (var decision in node.Decisions)
        {
            if (decision is { FaultEventId: { } id, Coalesced: true }) dispositions[id] = "counted as a repeat, no new decision";
            foreach (var e in decision.Events)
                switch (e)
                {
                    case FaultReported r when decision.FaultEventId == r.EventId: dispositions[r.EventId] = r.Disposition; break;
                    case FaultIgnored i: dispositions[i.EventId] = $"ignored: {i.Reason}"; break;
                    case IncidentOpened:
                        current = new IncidentSummary();
                        if (decision.FaultEventId is { } opener) opened[opener] = current;
                        break;
                    default: current?.Apply(e); break;
                }
        }
        var byFault = dispositions.ToDictionary(d => d.Key, d => opened.TryGetValue(d.Key, out var incident) ? $"{d.Value}; {incident}" : d.Value);
        return new FaultOutcomes(byFault, opened.Count);
    }
}
