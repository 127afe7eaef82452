using Remediation.Agent.Detecting.Gpu;
using Remediation.Agent.Devices;
using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>gpu_reset</c>, with the preconditions of nvidia-smi's manual: no process may hold the GPU (on an NVSwitch system,
/// none may hold any GPU, since the reset disturbs the fabric its peers use), else it answers "in use" and does nothing;
/// a pending MIG mode change is not applied behind the operator's back; on an NVSwitch system Fabric Manager must run,
/// or the reset GPU could not rejoin the fabric. The agent's own nvidia-smi and dcgmi polling is paused while
/// <c>nvidia-smi --gpu-reset -i BUS</c> runs.
/// </summary>
public sealed class GpuReset : IStepAction
{
    public string Name => StepActions.GpuReset;
    public IReadOnlySet<string> Args { get; } = new HashSet<string> { "device" };

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        var gpu = context.Devices.Gpu(step.Args.GetValueOrDefault("device"));
        if (gpu.Value is null) return context.Failed(gpu.Error!);
        var bus = gpu.Value.Address;
        var nvswitch = NvSwitch.Present(context.Root);

        var apps = await context.RunAsync(GpuCommands.ComputeApps(nvswitch ? null : bus), ct);
        if (context.Check(apps, "listing the GPU's processes") is { } failed) return failed;
        if (GpuCommands.Pids(apps.Output) is { Count: > 0 } pids)
            return context.InUse(nvswitch
                ? $"GPUs of this NVSwitch system are in use by pid {string.Join(", ", pids)}"
                : $"GPU {bus} is in use by pid {string.Join(", ", pids)}");

        if (await RefusalAsync(context, bus, nvswitch, ct) is { } refused) return refused;

        using var quiet = await context.QuietGpusAsync(ct);
        if (quiet is null) return ActionResult.TimedOut(context.Transcript);
        var reset = await context.RunAsync(GpuCommands.Reset(bus), ct);
        return context.Check(reset, $"resetting GPU {bus}") ?? context.Succeeded();
    }

    private static async Task<ActionResult?> RefusalAsync(ActionContext context, string bus, bool nvswitch, CancellationToken ct)
    {
        var query = await context.RunAsync(GpuCommands.Query(bus), ct, echoOutput: false);
        if (context.Check(query, "nvidia-smi -q -x") is { } failed) return failed;
        if (!context.DryRun)
        {
            var snapshot = NvidiaSmiXml.Parse(query.Output).FirstOrDefault(g => g.Address == bus);
            if (snapshot is null) return context.Failed($"nvidia-smi -q -x does not show GPU {bus}; not resetting what cannot be checked");
            if (snapshot is { MigPending: { } pending, MigCurrent: { } current } && pending != current)
                return context.Failed($"GPU {bus} has a MIG mode change pending ({current} -> {pending}) that a reset would apply; not resetting");
        }
        if (!nvswitch) return null;
        var fabric = await context.RunAsync(DriverUsers.IsActive(DriverUsers.FabricManager), ct);
        return fabric.Succeeded ? null : context.Failed("NVSwitch system without an active nvidia-fabricmanager: the reset GPU could not rejoin the fabric");
    }
}
