using Remediation.Contracts;
using Remediation.Core.Runbooks;

namespace Remediation.Core.Nodes.Deciding;

/// <summary>
/// Evidence before destruction: a runbook with <c>evidence</c> has the agent collect the GPUs' serials and UUIDs and
/// an nvidia-bug-report once the node is quarantined, before its first step, once per incident (an escalation does not
/// collect again). The result is recorded as <see cref="EvidenceCollected"/> whatever it was, and the runbook goes on:
/// evidence is for the RMA and for NVIDIA, never a reason to leave a node broken.
/// </summary>
public sealed partial class NodeDecider
{
    private static int EvidenceIndex(Runbook runbook) => runbook.Steps.Count + 3;

    private static RunbookStep EvidenceStep(Runbook runbook) =>
        new("collect-evidence", StepActions.CollectEvidence, new Dictionary<string, string>(), runbook.Evidence!.Timeout, Retries: 0, HighRisk: false);

    private static bool NeedsEvidence(Runbook runbook, Incident incident) => runbook.Evidence is not null && !incident.EvidenceCollected;

    private void CollectEvidence(Decision d, Runbook runbook, DateTimeOffset now) =>
        Dispatch(d, runbook, EvidenceStep(runbook), EvidenceIndex(runbook), attempt: 1, verification: false, now);

    private static bool IsEvidence(Runbook runbook, PendingStep step) =>
        !step.Verification && runbook.Evidence is not null && step.StepIndex == EvidenceIndex(runbook);

    private void AfterEvidence(Decision d, Runbook runbook, PendingStep done, bool succeeded, string? output, DateTimeOffset now)
    {
        var problem = succeeded ? null : $"collect-evidence did not finish: {LastLine(output) ?? "no result"}";
        d.Emit(new EvidenceCollected(d.State.Id, d.State.Incident!.Id, AgentEvidence.Gpus(output), AgentEvidence.BugReport(output), problem,
            now, $"runbook:{runbook.Name}/{done.Step}"));
        StartStep(d, runbook, 0, attempt: 1, now);
    }
}
