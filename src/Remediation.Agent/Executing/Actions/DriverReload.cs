using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>driver_reload</c>, as NVIDIA's driver containers do it: answers "in use" while any compute process runs; stops the
/// driver's users (<see cref="DriverUsers"/>), unloads every dependent module and the driver (<see cref="DriverModules"/>),
/// loads them back, starts the users again (the agent's own GPU polling paused throughout) and checks that nvidia-smi sees the GPUs and that Fabric Manager, where it
/// ran, runs again. An unload that fails is rolled back: what was unloaded is loaded again and what was stopped is
/// started, so a node is never left half without its driver.
/// </summary>
public sealed class DriverReload : IStepAction
{
    public string Name => StepActions.DriverReload;
    public IReadOnlySet<string> Args { get; } = new HashSet<string>();

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        var apps = await context.RunAsync(GpuCommands.ComputeApps(null), ct);
        if (context.Check(apps, "listing GPU processes") is { } failed) return failed;
        if (GpuCommands.Pids(apps.Output) is { Count: > 0 } pids)
            return context.InUse($"GPUs are in use by pid {string.Join(", ", pids)}");

        using var quiet = await context.QuietGpusAsync(ct);
        if (quiet is null) return ActionResult.TimedOut(context.Transcript);
        var stopped = new List<string>();
        if (await DriverUsers.StopAsync(context, stopped, ct) is null)
            return await RolledBackAsync(context, [], stopped, "a driver user would not stop", ct);

        var loaded = DriverModules.Loaded(context.Root);
        var removed = new List<string>();
        foreach (var module in loaded.Where(m => DriverModules.IsLoaded(context.Root, m)))
        {
            var unload = await context.RunAsync(DriverModules.Unload(module), ct);
            if (!unload.Succeeded) return await RolledBackAsync(context, removed, stopped, $"unloading {module} failed (exit {unload.ExitCode})", ct);
            removed.Add(module);
        }

        var notLoaded = await DriverModules.LoadAsync(context, loaded, ct);
        var notStarted = await DriverUsers.RestoreAsync(context, stopped, ct);
        if (notLoaded.Count > 0) return context.Failed($"module(s) {string.Join(", ", notLoaded)} would not load again");
        if (!context.DryRun && !DriverModules.IsLoaded(context.Root, "nvidia"))
            return context.Failed("modprobe nvidia returned but the nvidia module is not loaded");
        if (notStarted.Count > 0) return context.Failed($"{string.Join(", ", notStarted)} would not start again");
        return await VerifiedAsync(context, stopped, ct);
    }

    private static async Task<ActionResult> RolledBackAsync(
        ActionContext context, List<string> removed, List<string> stopped, string why, CancellationToken ct)
    {
        var notLoaded = await DriverModules.LoadAsync(context, removed, ct);
        var notStarted = await DriverUsers.RestoreAsync(context, stopped, ct);
        var rollback = notLoaded.Count == 0 && notStarted.Count == 0
            ? $"rolled back: loaded again {Listed(removed)}, started again {Listed(stopped)}"
            : $"rollback incomplete: {Listed(notLoaded)} not loaded, {Listed(notStarted)} not started";
        return context.Failed($"{why}; {rollback}");
    }

    private static async Task<ActionResult> VerifiedAsync(ActionContext context, List<string> stopped, CancellationToken ct)
    {
        var list = await context.RunAsync(GpuCommands.List(), ct);
        if (context.Check(list, "nvidia-smi -L after the reload") is { } failed) return failed;
        // On NVSwitch systems the GPUs cannot run CUDA work until Fabric Manager has trained the fabric again.
        if (stopped.Contains(DriverUsers.FabricManager) && !(await context.RunAsync(DriverUsers.IsActive(DriverUsers.FabricManager), ct)).Succeeded)
            return context.Failed("nvidia-fabricmanager is not active after the reload");
        return context.Succeeded();
    }

    private static string Listed(IReadOnlyCollection<string> items) => items.Count == 0 ? "nothing" : string.Join(", ", items);
}
