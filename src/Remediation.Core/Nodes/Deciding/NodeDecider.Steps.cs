using Remediation.Contracts;
using Remediation.Core.Runbooks;

namespace Remediation.Core.Nodes.Deciding;

public sealed partial class NodeDecider
{
    private void OnStepResult(Decision d, StepCompleted result, DateTimeOffset now)
    {
        var by = $"agent@{result.NodeId}";
        var pending = d.State.Incident?.Pending;
        if (pending is null || pending.CommandId != result.CommandId)
        {
            var reason = pending is null ? "no step is in flight" : $"the step in flight is {pending.CommandId}";
            d.Emit(new StepResultIgnored(d.State.Id, result.CommandId, result.Outcome, reason, now, by));
            return;
        }
        var incident = d.State.Incident!;
        var runbook = runbooks[incident.Runbook!];
        if (result is { Outcome: StepOutcomes.Failed, ExitCode: StepExitCodes.InUse })
        {
            WaitWhileInUse(d, runbook, pending, result.Output, now, by);
            return;
        }
        if (result.Outcome == StepOutcomes.Succeeded)
        {
            d.Emit(new StepSucceeded(d.State.Id, incident.Id, pending.CommandId, pending.Step, result.ExitCode, result.Output, result.FinishedAt, by, pending.Action));
            AfterSuccess(d, runbook, pending, result.Output, now);
            return;
        }
        if (result.Outcome == StepOutcomes.TimedOut)
            d.Emit(new StepTimedOut(d.State.Id, incident.Id, pending.CommandId, pending.Step, pending.Action, pending.Deadline, now, by));
        else
            d.Emit(new StepFailed(d.State.Id, incident.Id, pending.CommandId, pending.Step, pending.Action, result.ExitCode, result.Output, result.FinishedAt, by));
        AfterFailure(d, runbook, pending, result.Output, now);
    }

    private void AfterSuccess(Decision d, Runbook runbook, PendingStep done, string? output, DateTimeOffset now)
    {
        var incidentId = d.State.Incident!.Id;
        var by = $"runbook:{runbook.Name}/{done.Step}";
        if (IsQuarantine(runbook, done))
        {
            AfterQuarantine(d, runbook, done, output, now);
            return;
        }
        if (IsEvidence(runbook, done))
        {
            AfterEvidence(d, runbook, done, succeeded: true, output, now);
            return;
        }
        if (done.Verification)
        {
            d.Emit(new VerificationPassed(d.State.Id, incidentId, done.CommandId, now, by));
            if (d.State.Incident.Cordoned) Dispatch(d, runbook, Uncordon, UncordonIndex(runbook), attempt: 1, verification: false, now);
            else d.Emit(new IncidentResolved(d.State.Id, incidentId, $"{runbook.Name} succeeded and the node verified healthy", now, by));
            return;
        }
        if (done.Action == StepActions.Uncordon)
        {
            d.Emit(new NodeReturnedToService(d.State.Id, incidentId, now, by));
            d.Emit(new IncidentResolved(d.State.Id, incidentId, "repaired, verified healthy and returned to the scheduler", now, by));
            return;
        }
        if (done.Action == StepActions.Cordon) d.Emit(new NodeCordoned(d.State.Id, incidentId, now, by));
        if (done.Action == StepActions.OpenRma)
        {
            d.Emit(new RmaRequested(d.State.Id, incidentId, d.State.Incident.Device, now, by, output));
            return;
        }
        GoOnAfter(d, runbook, done.StepIndex, now, by);
    }

    private void GoOnAfter(Decision d, Runbook runbook, int index, DateTimeOffset now, string by)
    {
        var next = index + 1;
        if (next < runbook.Steps.Count) StartStep(d, runbook, next, attempt: 1, now);
        else if (runbook.Verify is { } verify) Dispatch(d, runbook, verify, next, attempt: 1, verification: true, now);
        else d.Emit(new IncidentResolved(d.State.Id, d.State.Incident!.Id, $"{runbook.Name} succeeded", now, by));
    }

    private void AfterFailure(Decision d, Runbook runbook, PendingStep failed, string? output, DateTimeOffset now)
    {
        var incidentId = d.State.Incident!.Id;
        if (failed.Verification)
        {
            d.Emit(new VerificationFailed(d.State.Id, incidentId, failed.CommandId, output, now, $"runbook:{runbook.Name}/verify"));
            EscalateOrHandOver(d, runbook, "verification failed", now);
            return;
        }
        if (IsQuarantine(runbook, failed))
        {
            QuarantineFailed(d, runbook, output, now);
            return;
        }
        if (IsEvidence(runbook, failed))
        {
            AfterEvidence(d, runbook, failed, succeeded: false, output, now);
            return;
        }
        var step = StepAt(runbook, failed.StepIndex, verification: false);
        if (failed.Attempt <= step.Retries)
            Dispatch(d, runbook, step, failed.StepIndex, failed.Attempt + 1, verification: false, now);
        else
            EscalateOrHandOver(d, runbook, $"{step.Name} failed after {failed.Attempt} attempt(s)", now);
    }

    private void EscalateOrHandOver(Decision d, Runbook runbook, string reason, DateTimeOffset now)
    {
        if (runbook.OnFailure is { } next)
            Escalate(d, runbook.Name, runbooks[next], reason, now);
        else
            d.Emit(new HandedToHuman(d.State.Id, d.State.Incident!.Id,
                $"automation exhausted: {runbook.Name} {reason} and it is the last rung", now, $"runbook:{runbook.Name}"));
    }

    private void Escalate(Decision d, string from, Runbook to, string reason, DateTimeOffset now)
    {
        d.Emit(new RunbookEscalated(d.State.Id, d.State.Incident!.Id, from, to.Name, reason, now, $"runbook:{from}"));
        StartRunbook(d, to, $"escalated from {from}: {reason}", now);
    }

    private void StartRunbook(Decision d, Runbook runbook, string reason, DateTimeOffset now)
    {
        d.Emit(new RunbookStarted(d.State.Id, d.State.Incident!.Id, runbook.Name, reason, now, "rule:router"));
        StartStep(d, runbook, 0, attempt: 1, now);
    }

    /// <summary>
    /// Dispatches a step, first asking for an approval when it is risky and this run has none yet, and quarantining the
    /// node and collecting the evidence before the first step of a runbook that wants them.
    /// </summary>
    private void StartStep(Decision d, Runbook runbook, int index, int attempt, DateTimeOffset now)
    {
        var step = runbook.Steps[index];
        var incident = d.State.Incident!;
        if (options.Shadow || runbook.Shadow)
        {
            Shadow(d, runbook, step, now);
            return;
        }
        if (step.HighRisk && incident.Approval is not { Granted: true })
        {
            var approvalId = $"apr-{incident.Id}-{incident.RunbooksTried.Count}-{index}";
            d.Emit(new ApprovalRequested(d.State.Id, incident.Id, approvalId, runbook.Name, step.Name, step.Action, index,
                now, now + options.ApprovalTimeout, $"runbook:{runbook.Name}/{step.Name}"));
            if (!options.AutoApprove) return;
            d.Emit(new ApprovalGranted(d.State.Id, approvalId, "policy:auto-approve", now));
        }
        if (index == 0 && NeedsQuarantine(runbook, incident)) Quarantine(d, runbook, now);
        else if (index == 0 && NeedsEvidence(runbook, incident)) CollectEvidence(d, runbook, now);
        else if (step.Action == StepActions.Cordon && incident.Cordoned) AlreadyCordoned(d, runbook, step, index, now);
        else Dispatch(d, runbook, step, index, attempt, verification: false, now);
    }

    private void Dispatch(Decision d, Runbook runbook, RunbookStep step, int index, int attempt, bool verification, DateTimeOffset now)
    {
        var incident = d.State.Incident!;
        if (d.Pause is { } pause)
        {
            d.Emit(new ActionDeferred(d.State.Id, incident.Id, runbook.Name, step.Name, step.Action, index, attempt, verification,
                $"automation paused by {pause.By}: {pause.Reason}", now, "policy:pause"));
            return;
        }
        var action = step.Action == StepActions.Reboot && options.RebootThroughScheduler ? StepActions.SchedulerReboot : step.Action;
        if (d.Budget?.Refuses(action) is { } overBudget)
        {
            // Already waiting on the budget: say nothing new, or every freed slot would write to every waiting stream.
            if (incident.Deferred is not { ByBudget: true })
                d.Emit(new ActionDeferred(d.State.Id, incident.Id, runbook.Name, step.Name, step.Action, index, attempt, verification,
                    overBudget, now, "policy:fleet-budget"));
            return;
        }
        var args = step.Args.ToDictionary(a => a.Key, a => Expand(a.Value, d.State.Id, incident));
        // A try after the node was found in use needs its own id: the agent answers a repeated id with its first result.
        var commandId = CommandIds.For(options.CommandKey, d.State.Id, incident.Id, runbook.Name, step.Name, attempt,
            incident.InUse is { Tries: var tries } ? $"-wait{tries}" : "");
        d.Emit(new StepDispatched(d.State.Id, incident.Id, commandId, runbook.Name, step.Name, action, args, index, attempt,
            verification, now + step.Timeout, now, $"runbook:{runbook.Name}/{step.Name}"));
    }

    /// <summary>
    /// Shadow mode records the decision, the step and the arguments it would have run, and then lets go: what would
    /// have come next depends on an outcome that never happened.
    /// </summary>
    private static void Shadow(Decision d, Runbook runbook, RunbookStep step, DateTimeOffset now)
    {
        var incident = d.State.Incident!;
        var args = step.Args.ToDictionary(a => a.Key, a => Expand(a.Value, d.State.Id, incident));
        d.Emit(new StepShadowed(d.State.Id, incident.Id, runbook.Name, step.Name, step.Action, args, now, "policy:shadow"));
        d.Emit(new IncidentResolved(d.State.Id, incident.Id,
            $"shadow mode: would have run {runbook.Name}/{step.Name} ({step.Action}); nothing was executed", now, "policy:shadow"));
    }

    /// <summary>A step deferred by a pause runs once the pause is lifted.</summary>
    private void ResumeDeferred(Decision d, Incident incident, DeferredStep deferred, DateTimeOffset now)
    {
        var runbook = runbooks[incident.Runbook!];
        var step = StepAt(runbook, deferred.StepIndex, deferred.Verification);
        Dispatch(d, runbook, step, deferred.StepIndex, deferred.Attempt, deferred.Verification, now);
    }

    private static string Expand(string template, string nodeId, Incident incident) => template
        .Replace("{nodeId}", nodeId, StringComparison.Ordinal)
        .Replace("{incidentId}", incident.Id, StringComparison.Ordinal)
        .Replace("{device}", incident.Device ?? "", StringComparison.Ordinal)
        .Replace("{xid}", incident.Xid?.ToString() ?? "", StringComparison.Ordinal)
        .Replace("{quarantined}", incident.Cordoned ? "yes" : "no", StringComparison.Ordinal);
}
