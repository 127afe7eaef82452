using Remediation.Core.Runbooks;

namespace Remediation.Core.Nodes.Deciding;

/// <summary>
/// The agent found the node in use (GPU processes still running) and did nothing. That is no fault of the node: the
/// step waits for the work to leave and is tried again, and after <see cref="DeciderOptions.InUseWait"/> a human is
/// asked. It never counts as a failure, so a busy node is never escalated to a reboot under its jobs.
/// </summary>
public sealed partial class NodeDecider
{
    private const int MaxShownOutput = 300;

    private void WaitWhileInUse(Decision d, Runbook runbook, PendingStep busy, string? output, DateTimeOffset now, string by)
    {
        var incident = d.State.Incident!;
        var since = incident.InUse?.Since ?? now;
        var why = LastLine(output) ?? "the agent found the node in use";
        if (busy.Verification)
        {
            WaitForVerification(d, runbook, busy, why, since, now, by);
            return;
        }
        var giveUpAt = since + options.InUseWait;
        if (now >= giveUpAt)
        {
            d.Emit(new HandedToHuman(d.State.Id, incident.Id,
                $"{runbook.Name}/{busy.Step} still finds the node in use after {now - since}: {why}; automation does not act under running work",
                now, "rule:in-use"));
            return;
        }
        var retryAt = now + options.InUseRetry < giveUpAt ? now + options.InUseRetry : giveUpAt;
        d.Emit(new ActionDeferred(d.State.Id, incident.Id, runbook.Name, busy.Step, busy.Action, busy.StepIndex, busy.Attempt,
            Verification: false, $"in use: {why}; trying again at {retryAt:O}, waiting until {giveUpAt:O} at most (not a failure: the ladder does not climb)",
            now, by, retryAt, since));
    }

    /// <summary>
    /// A verification the node cannot answer yet (after a reboot, the old boot is still shutting down) is asked again
    /// every minute within its own timeout, the runbook's boot budget; past it, the verification has failed.
    /// </summary>
    private void WaitForVerification(Decision d, Runbook runbook, PendingStep busy, string why, DateTimeOffset since, DateTimeOffset now, string by)
    {
        var incident = d.State.Incident!;
        var giveUpAt = since + runbook.Verify!.Timeout;
        if (now >= giveUpAt)
        {
            d.Emit(new VerificationFailed(d.State.Id, incident.Id, busy.CommandId, $"not verified within {runbook.Verify.Timeout}: {why}", now, by));
            EscalateOrHandOver(d, runbook, "verification failed", now);
            return;
        }
        var retryAt = Min(now + VerificationRetry, giveUpAt);
        d.Emit(new ActionDeferred(d.State.Id, incident.Id, runbook.Name, busy.Step, busy.Action, busy.StepIndex, busy.Attempt,
            Verification: true, $"not yet: {why}; asking again at {retryAt:O}, until {giveUpAt:O} at most", now, by, retryAt, since));
    }

    private static readonly TimeSpan VerificationRetry = TimeSpan.FromMinutes(1);

    private static string? LastLine(string? output)
    {
        var line = output?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return line is null ? null : line.Length > MaxShownOutput ? line[..MaxShownOutput] + "…" : line;
    }
}
