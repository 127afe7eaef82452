using Remediation.Contracts;
using Remediation.Core.Runbooks;

namespace Remediation.Core.Nodes.Deciding;

/// <summary>
/// Quarantine → drain → act → verify → give back. A runbook with <c>quarantine</c> first cordons the node in the
/// scheduler and waits for its work to leave (a cordon step that reports "in use" while work still drains), and only
/// then runs its own steps; after verification the uncordon step gives back what this incident took.
/// </summary>
public sealed partial class NodeDecider
{
    private static int QuarantineIndex(Runbook runbook) => runbook.Steps.Count + 2;

    private static RunbookStep QuarantineStep(Runbook runbook) =>
        new("quarantine-node", StepActions.Cordon, new Dictionary<string, string>(), runbook.Quarantine!.Timeout, Retries: 0, HighRisk: false);

    // An approval, where the first step needs one, comes before the quarantine: an operator who says no has not
    // had the node drained for nothing.
    private static bool NeedsQuarantine(Runbook runbook, Incident incident) =>
        runbook.Quarantine is { } quarantine && quarantine.AppliesTo(incident.Kind) && !incident.Cordoned;

    private void Quarantine(Decision d, Runbook runbook, DateTimeOffset now) =>
        Dispatch(d, runbook, QuarantineStep(runbook), QuarantineIndex(runbook), attempt: 1, verification: false, now);

    /// <summary>
    /// A cordon step (cordon-and-rma's, after an escalation) on a node this incident already quarantined: the scheduler
    /// has it out under this incident's name, and cordoning again would count it against the budget a second time.
    /// </summary>
    private void AlreadyCordoned(Decision d, Runbook runbook, RunbookStep step, int index, DateTimeOffset now)
    {
        d.Emit(new NodeCordoned(d.State.Id, d.State.Incident!.Id, now, "rule:already-quarantined"));
        GoOnAfter(d, runbook, index, now, $"runbook:{runbook.Name}/{step.Name}");
    }

    private static bool IsQuarantine(Runbook runbook, PendingStep step) =>
        !step.Verification && runbook.Quarantine is not null && step.StepIndex == QuarantineIndex(runbook);

    private void AfterQuarantine(Decision d, Runbook runbook, PendingStep done, string? output, DateTimeOffset now)
    {
        d.Emit(new NodeQuarantined(d.State.Id, d.State.Incident!.Id, output, now, $"runbook:{runbook.Name}/{done.Step}"));
        StartStep(d, runbook, 0, attempt: 1, now);
    }

    // A scheduler that cannot take the node out says nothing about the GPU: climbing the ladder would only try a more
    // drastic action on a node whose work could not be moved.
    private static void QuarantineFailed(Decision d, Runbook runbook, string? output, DateTimeOffset now) =>
        d.Emit(new HandedToHuman(d.State.Id, d.State.Incident!.Id,
            $"{runbook.Name} could not quarantine the node ({LastLine(output) ?? "no result"}); nothing was done to it",
            now, $"runbook:{runbook.Name}/quarantine-node"));
}
