using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>gpu_reset</c>: while any process holds the GPU it answers "in use" (<see cref="StepExitCodes.InUse"/>) and does
/// nothing; otherwise <c>nvidia-smi --gpu-reset -i BUS</c>.
/// </summary>
public sealed class GpuReset : IStepAction
{
    public string Name => "gpu_reset";
    public IReadOnlySet<string> Args { get; } = new HashSet<string> { "device" };

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        var gpu = context.Devices.Gpu(step.Args.GetValueOrDefault("device"));
        if (gpu.Value is null) return context.Failed(gpu.Error!);
        var bus = gpu.Value.Address;

        var apps = await context.RunAsync(GpuCommands.ComputeApps(bus), ct);
        if (context.Check(apps, "listing the GPU's processes") is { } failed) return failed;
        if (GpuCommands.Pids(apps.Output) is { Count: > 0 } pids)
            return context.InUse($"GPU {bus} is in use by pid {string.Join(", ", pids)}");

        var reset = await context.RunAsync(GpuCommands.Reset(bus), ct);
        return context.Check(reset, $"resetting GPU {bus}") ?? context.Succeeded();
    }
}
