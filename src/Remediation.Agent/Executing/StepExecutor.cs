using Remediation.Agent.Devices;
using Remediation.Agent.Executing.Actions;
using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Executing;

/// <summary>
/// Runs one StepRequested at a time. A commandId seen before (in this process or, through the state directory, any
/// earlier one) gets its first result back and nothing runs again. A step still running <paramref name="abandonAfter"/>
/// past its deadline is abandoned and reported <c>timed_out</c>, so one wedged action cannot stop every later command.
/// </summary>
public sealed class StepExecutor(
    string nodeId, HostRoot root, ICommandRunner runner, bool dryRun, ResultStore store, TimeProvider clock, TimeSpan? abandonAfter = null,
    DetectorPause? detectors = null, RebootVia rebootVia = RebootVia.Systemctl)
{
    private const int MaxOutput = 8 * 1024;
    private static readonly TimeSpan DefaultDeadline = TimeSpan.FromMinutes(10);

    // Longer than the runner's own kill grace, so a killed command normally reports itself before the step is abandoned.
    public static readonly TimeSpan DefaultAbandonAfter = ProcessCommandRunner.DefaultKillGrace * 3;
    private readonly TimeSpan _abandonAfter = abandonAfter ?? DefaultAbandonAfter;
    private readonly SemaphoreSlim _one = new(1, 1);

    public static IReadOnlyDictionary<string, IStepAction> Actions { get; } =
        new IStepAction[]
        {
            new GpuReset(), new DriverReload(), new LinkBounce(), new Reboot(), GpuHealth.ForGpu(), new LinkCheck(), GpuHealth.ForNode(),
            new FabricManagerRestart(), new CollectEvidence(),
        }.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public async Task<StepCompleted> ExecuteAsync(StepRequested step, CancellationToken ct)
    {
        if (!StepRules.IsIdentifier(step.CommandId))
            return Completed(step.CommandId ?? "", ActionResult.Failed($"commandId '{DeviceArgs.Shown(step.CommandId ?? "")}' is not an identifier"));

        await _one.WaitAsync(ct);
        try
        {
            if (store.Result(step.CommandId) is { } first) return first;
            var result = Completed(step.CommandId, await RunAsync(step, ct));
            store.Save(result);
            return result;
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<ActionResult> RunAsync(StepRequested step, CancellationToken ct)
    {
        if (StepRules.Reject(step, nodeId, Actions) is { } reason) return ActionResult.Failed(reason);
        var bootId = root.ReadText(SysfsPaths.BootId) ?? "unknown-boot";
        if (store.Marker(step.CommandId) is { } started && Interrupted(started, bootId) is { } interrupted) return interrupted;

        var now = clock.GetUtcNow();
        var deadline = step.Deadline == default ? now + DefaultDeadline : step.Deadline;
        if (deadline <= now) return ActionResult.TimedOut($"deadline {deadline:O} had passed when the step arrived; not run");

        if (step.Action == StepActions.NodeHealth && store.RebootOf(step.IncidentId!) is { } reboot && reboot.BootId == bootId)
            return ActionResult.Failed(
                $"the node has not rebooted yet (still boot {bootId}, the boot its reboot started on at {reboot.At:O}); node_health waits for the new boot",
                StepExitCodes.InUse);
        store.MarkStarted(new ResultStore.Started(step.CommandId, step.Action, bootId, now));
        if (step.Action == StepActions.Reboot) store.MarkReboot(new ResultStore.Reboot(step.IncidentId!, bootId, now));
        var context = new ActionContext(root, runner, dryRun, clock, deadline, detectors, store.EvidenceDir, store.InventoryPath, rebootVia);
        var action = Actions[step.Action];
        var args = step with { Args = step.Args ?? new Dictionary<string, string>() };
        return await WithinDeadlineAsync(action, args, context, deadline, ct);
    }

    private async Task<ActionResult> WithinDeadlineAsync(
        IStepAction action, StepRequested step, ActionContext context, DateTimeOffset deadline, CancellationToken ct)
    {
        // Not disposed while an abandoned run may still hold its token; the run's continuation disposes it.
        var abandon = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = GuardedAsync(action, step, context, abandon.Token);
        _ = run.ContinueWith(t => { _ = t.Exception; abandon.Dispose(); }, TaskScheduler.Default);

        var limit = deadline - clock.GetUtcNow() + _abandonAfter;
        var watchdog = Task.Delay(limit > TimeSpan.Zero ? limit : TimeSpan.Zero, clock, ct);
        if (await Task.WhenAny(run, watchdog) == run) return await run;
        ct.ThrowIfCancellationRequested();
        await abandon.CancelAsync();
        return ActionResult.TimedOut(context.Transcript + string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{action.Name} was still running {_abandonAfter.TotalSeconds:0.#}s after its deadline {deadline:O}; abandoned so later commands can run\n"));
    }

    // Any failure of the action becomes its result: an exception escaping here would leave the command unanswered.
    private static async Task<ActionResult> GuardedAsync(IStepAction action, StepRequested step, ActionContext context, CancellationToken ct)
    {
        try
        {
            return await action.RunAsync(step, context, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return context.Failed($"{action.Name} failed: {e.GetType().Name}: {e.Message}");
        }
    }

    // The agent stopped while this step ran. A reboot that did happen is what was asked for; a check that only reads
    // (a verification cut off by the reboot it verifies, or evidence collection) runs again; anything else may have been cut off half-way and
    // is not run a second time behind the service's back.
    private static readonly IReadOnlySet<string> ReadOnly = new HashSet<string> { StepActions.GpuHealth, StepActions.NodeHealth, StepActions.LinkCheck, StepActions.CollectEvidence };

    private static ActionResult? Interrupted(ResultStore.Started started, string bootId) =>
        started.Action == StepActions.Reboot && started.BootId != bootId ? ActionResult.Succeeded($"node rebooted (boot {started.BootId} -> {bootId})")
        : ReadOnly.Contains(started.Action) ? null
        : ActionResult.Failed($"the agent stopped while {started.Action} was running (started {started.StartedAt:O}); not run again");

    private StepCompleted Completed(string commandId, ActionResult result) =>
        new(commandId, nodeId, result.Outcome, result.ExitCode,
            result.Output.Length > MaxOutput ? result.Output[..MaxOutput] + "…" : result.Output, clock.GetUtcNow());
}
