using Remediation.Contracts;
using Remediation.Core.Runbooks;

namespace Remediation.Core.Nodes.Deciding;

/// <summary>After an RMA: the closed ticket, the verification of the repaired node, and lifting our own cordon.</summary>
public sealed partial class NodeDecider
{
    /// <summary>
    /// Giving a repaired node back to the scheduler is not a runbook step anyone writes: it undoes this service's own
    /// cordon, under the same incident id, so the scheduler adapters can tell it from someone else's.
    /// </summary>
    private static readonly RunbookStep Uncordon =
        new("uncordon-node", StepActions.Uncordon, new Dictionary<string, string>(), TimeSpan.FromMinutes(10), Retries: 2, HighRisk: false);

    private static int UncordonIndex(Runbook runbook) => runbook.Steps.Count + 1;

    private static RunbookStep StepAt(Runbook runbook, int index, bool verification) =>
        verification ? runbook.Verify!
        : index == UncordonIndex(runbook) ? Uncordon
        : index == QuarantineIndex(runbook) ? QuarantineStep(runbook)
        : index == EvidenceIndex(runbook) ? EvidenceStep(runbook)
        : runbook.Steps[index];

    private void OnRmaClosed(Decision d, RmaTicketClosed closed, DateTimeOffset now)
    {
        if (d.State is not { Status: NodeStatus.InRepair, Incident: { Runbook: { } name } incident })
        {
            d.Refuse($"node {d.State.Id} is {d.State.Status}; only a node InRepair has an RMA ticket to close");
            return;
        }
        d.Emit(new RmaClosed(d.State.Id, incident.Id, incident.Ticket, closed.Resolution, now, closed.ClosedBy));
        var runbook = runbooks[name];
        if (runbook.Verify is { } verify) Dispatch(d, runbook, verify, runbook.Steps.Count, attempt: 1, verification: true, now);
        else Dispatch(d, runbook, Uncordon, UncordonIndex(runbook), attempt: 1, verification: false, now);
    }
}
