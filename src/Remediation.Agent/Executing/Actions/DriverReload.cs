using Remediation.Agent.Devices;
using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>driver_reload</c>: answers "in use" while any compute process runs, unloads the NVIDIA modules users-first
/// (nvidia_uvm, nvidia_drm, nvidia_modeset, nvidia), loads back the ones that were loaded, and checks nvidia-smi sees the GPUs.
/// </summary>
public sealed class DriverReload : IStepAction
{
    private static readonly string[] UnloadOrder = ["nvidia_uvm", "nvidia_drm", "nvidia_modeset", "nvidia"];

    public string Name => "driver_reload";
    public IReadOnlySet<string> Args { get; } = new HashSet<string>();

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        var apps = await context.RunAsync(GpuCommands.ComputeApps(null), ct);
        if (context.Check(apps, "listing GPU processes") is { } failed) return failed;
        if (GpuCommands.Pids(apps.Output) is { Count: > 0 } pids)
            return context.InUse($"GPUs are in use by pid {string.Join(", ", pids)}");

        var loaded = UnloadOrder.Where(m => context.Root.Exists($"{SysfsPaths.Modules}/{m}")).ToList();
        if (!loaded.Contains("nvidia")) loaded.Add("nvidia");
        foreach (var module in loaded.Where(m => context.Root.Exists($"{SysfsPaths.Modules}/{m}")))
        {
            var unload = await context.RunAsync(Argv.Of("modprobe", "-r", module), ct);
            if (context.Check(unload, $"unloading {module}") is { } unloadFailed) return unloadFailed;
        }
        foreach (var module in Enumerable.Reverse(loaded))
        {
            var load = await context.RunAsync(Argv.Of("modprobe", module), ct);
            if (context.Check(load, $"loading {module}") is { } loadFailed) return loadFailed;
        }

        if (!context.DryRun && !context.Root.Exists($"{SysfsPaths.Modules}/nvidia"))
            return context.Failed("modprobe nvidia returned but the nvidia module is not loaded");
        var list = await context.RunAsync(GpuCommands.List(), ct);
        return context.Check(list, "nvidia-smi -L after the reload") ?? context.Succeeded();
    }
}
