using Remediation.Agent.Devices;
using Remediation.Agent.Executing.Actions;
using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Executing;

/// <summary>
/// Runs one StepRequested at a time. A commandId seen before (in this process or, through the state directory, any
/// earlier one) gets its first result back and nothing runs again.
/// </summary>
public sealed class StepExecutor(string nodeId, HostRoot root, ICommandRunner runner, bool dryRun, ResultStore store, TimeProvider clock)
{
    private const int MaxOutput = 8 * 1024;
    private static readonly TimeSpan DefaultDeadline = TimeSpan.FromMinutes(10);
    private readonly SemaphoreSlim _one = new(1, 1);

    public static IReadOnlyDictionary<string, IStepAction> Actions { get; } =
        new IStepAction[]
        {
            new GpuReset(), new DriverReload(), new LinkBounce(), new Reboot(), GpuHealth.ForGpu(), new LinkCheck(), GpuHealth.ForNode(),
            new FabricManagerRestart(),
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
        if (store.Marker(step.CommandId) is { } interrupted) return Interrupted(interrupted, bootId);

        var now = clock.GetUtcNow();
        var deadline = step.Deadline == default ? now + DefaultDeadline : step.Deadline;
        if (deadline <= now) return ActionResult.TimedOut($"deadline {deadline:O} had passed when the step arrived; not run");

        store.MarkStarted(new ResultStore.Started(step.CommandId, step.Action, bootId, now));
        var context = new ActionContext(root, runner, dryRun, clock, deadline);
        var action = Actions[step.Action];
        var args = step with { Args = step.Args ?? new Dictionary<string, string>() };
        try
        {
            return await action.RunAsync(args, context, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Xml.XmlException)
        {
            return context.Failed($"{action.Name} failed: {e.Message}");
        }
    }

    // The agent stopped while this step ran. A reboot that did happen is what was asked for; anything else may
    // have been cut off half-way and is not run a second time behind the service's back.
    private static ActionResult Interrupted(ResultStore.Started started, string bootId) =>
        started.Action == "reboot" && started.BootId != bootId
            ? ActionResult.Succeeded($"node rebooted (boot {started.BootId} -> {bootId})")
            : ActionResult.Failed($"the agent stopped while {started.Action} was running (started {started.StartedAt:O}); not run again");

    private StepCompleted Completed(string commandId, ActionResult result) =>
        new(commandId, nodeId, result.Outcome, result.ExitCode,
            result.Output.Length > MaxOutput ? result.Output[..MaxOutput] + "…" : result.Output, clock.GetUtcNow());
}
