namespace Remediation.Service.Repair.Slurm;

/// <summary>
/// Drains, reboots and resumes nodes with scontrol. The drain reason is how a node remembers that remediation drained
/// it: a node drained for any other reason is never resumed, rebooted, nor is its reason overwritten.
/// </summary>
public sealed class SlurmScheduler(Scontrol scontrol) : IScheduler, ISchedulerReboot
{
    public const string ReasonPrefix = "remediation: ";

    public static string DrainReason(string reason) => ReasonPrefix + reason;

    public async Task<SchedulerResult> CordonAsync(string node, string reason, CancellationToken ct)
    {
        if (SchedulerInput.Problem(node, reason) is { } problem) return SchedulerResult.Failed(problem);
        var ours = DrainReason(reason);
        try
        {
            var before = await GetAsync(node, ct);
            if (before.Cordoned && before.CordonedBy != ours)
                return Drained(before, $"{node} is already drained by someone else (Reason={before.CordonedBy}); left as it is");
            // Drained already by this incident (a retry while jobs finish): setting it again would only restamp the reason.
            // Held only DOWN (back from our reboot): DRAIN too, which no slurmd registration clears (ReturnToService=2 would
            // return a DOWN node), only the give-back.
            if (!before.Cordoned || !before.State.Contains("DRAIN", StringComparison.OrdinalIgnoreCase))
            {
                var run = await scontrol.RunAsync(["update", $"NodeName={node}", "State=DRAIN", $"Reason={ours}"], ct);
                if (!run.Succeeded) return SchedulerResult.Failed($"scontrol refused to drain {node}: {run.Output}");
            }
            var after = await GetAsync(node, ct);
            return after.Cordoned
                ? Drained(after, $"{node} is {after.State} (Reason={after.CordonedBy})")
                : SchedulerResult.Failed($"{node} is {after.State} after State=DRAIN");
        }
        catch (SchedulerException e)
        {
            return SchedulerResult.Failed(e.Message);
        }
    }

    // Slurm drains by letting running jobs finish: only a drain flag on a node with no job left is DRAINED.
    private static SchedulerResult Drained(SchedulerNodeState node, string said) =>
        node.Busy ? SchedulerResult.StillDraining($"{said}: jobs still running, not drained yet") : SchedulerResult.Ok($"{said}: drained");

    public async Task<SchedulerResult> UncordonAsync(string node, string reason, CancellationToken ct)
    {
        if (SchedulerInput.Problem(node, reason) is { } problem) return SchedulerResult.Failed(problem);
        var ours = DrainReason(reason);
        try
        {
            var before = await GetAsync(node, ct);
            if (!before.Cordoned) return SchedulerResult.Ok($"{node} is not drained ({before.State}); nothing to resume");
            if (before.CordonedBy != ours)
                return SchedulerResult.Failed(
                    $"refusing to resume {node}: it was drained by someone else (Reason={before.CordonedBy}), not by this remediation (Reason={ours})");
            return await ResumeAsync(node, ct);
        }
        catch (SchedulerException e)
        {
            return SchedulerResult.Failed(e.Message);
        }
    }

    // RESUME is the documented way back, but slurmctld answers "Invalid node state specified" when it cannot
    // also set the node's base state (a node whose slurmd has not registered is UNKNOWN), and Slurm 22.05 has
    // cleared the drain flag by then anyway. UNDRAIN clears only the flag. So the exit status is not the truth:
    // try RESUME, fall back to UNDRAIN while still drained, and judge by reading the node back.
    private async Task<SchedulerResult> ResumeAsync(string node, CancellationToken ct)
    {
        var resume = await scontrol.RunAsync(["update", $"NodeName={node}", "State=RESUME"], ct);
        var after = await GetAsync(node, ct);
        var said = resume.Output;
        if (after.Cordoned)
        {
            var undrain = await scontrol.RunAsync(["update", $"NodeName={node}", "State=UNDRAIN"], ct);
            said = $"RESUME: {resume.Output}; UNDRAIN: {undrain.Output}";
            after = await GetAsync(node, ct);
        }
        return after.Cordoned
            ? SchedulerResult.Failed($"{node} is still {after.State} after RESUME and UNDRAIN: {said}")
            : SchedulerResult.Ok($"{node} resumed, now {after.State}" + (said.Length > 0 ? $" (scontrol: {said})" : ""));
    }

    /// <summary>
    /// <c>scontrol reboot ASAP nextstate=DOWN reason="remediation: INCIDENT" NODE</c>: Slurm drains the node, reboots it
    /// once its jobs have ended, and leaves it DOWN when slurmd registers from the new boot. Not RESUME: that would hand
    /// the node to the next job before the runbook's verification has run, and a node that came back broken would
    /// take it. The reason stays this incident's (Slurm appends ": reboot issued", then ": reboot complete"), so the
    /// give-back, which runs only once the node is verified, knows the node as ours and resumes it.
    /// </summary>
    public async Task<SchedulerResult> RequestRebootAsync(string node, string reason, CancellationToken ct)
    {
        if (SchedulerInput.Problem(node, reason) is { } problem) return SchedulerResult.Failed(problem);
        var ours = DrainReason(reason);
        try
        {
            var before = await GetAsync(node, ct);
            // The reboot clears the DRAIN flag, and with it an operator's drain, when the node comes back.
            if (before.Cordoned && before.CordonedBy != ours)
                return SchedulerResult.Failed(
                    $"refusing to reboot {node} through Slurm: it is drained by someone else (Reason={before.CordonedBy}), and the reboot would clear that drain");
            if (before.Reboot is SchedulerReboot.Requested or SchedulerReboot.Issued)
                return SchedulerResult.Ok($"{node} is {before.State}: its reboot is already pending; not asked again");
            var run = await scontrol.RunAsync(["reboot", "ASAP", "nextstate=DOWN", $"reason={ours}", node], ct);
            if (!run.Succeeded) return SchedulerResult.Failed($"scontrol refused to reboot {node}: {run.Output}");
            var after = await GetAsync(node, ct);
            return after.Reboot is SchedulerReboot.Requested or SchedulerReboot.Issued
                ? SchedulerResult.Ok($"scontrol reboot ASAP nextstate=DOWN reason=\"{ours}\" {node}: {after.State}")
                : SchedulerResult.Failed($"scontrol accepted the reboot of {node} but it shows none pending: {after.State}");
        }
        catch (SchedulerException e)
        {
            return SchedulerResult.Failed(e.Message);
        }
    }

    public async Task<SchedulerNodeState> GetAsync(string node, CancellationToken ct)
    {
        if (SchedulerInput.Problem(node, "read") is { } problem) throw new SchedulerException(problem);
        var run = await scontrol.RunAsync(["show", "node", node], ct);
        if (!run.Succeeded) throw new SchedulerException($"scontrol show node {node} failed: {run.Output}");
        return SlurmNodeText.Parse(node, run.Output);
    }
}
