using Remediation.Agent.Detecting.Gpu;
using Remediation.Agent.Devices;
using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>gpu_health</c> (one GPU, or <c>all</c>) and <c>node_health</c>: nvidia-smi answers for every GPU sysfs knows,
/// and none of them shows a fault condition. With <c>diag: N</c>, CUDA must work too (<see cref="CudaCheck"/>:
/// <c>dcgmi diag -r N</c>, else deviceQuery) and, on an NVSwitch system, Fabric Manager must be active.
/// </summary>
public sealed class GpuHealth(string name, bool takesDevice) : IStepAction
{
    public static GpuHealth ForGpu() => new("gpu_health", takesDevice: true);
    public static GpuHealth ForNode() => new("node_health", takesDevice: false);

    public string Name => name;
    public IReadOnlySet<string> Args { get; } = takesDevice ? new HashSet<string> { "device", "diag" } : new HashSet<string> { "diag" };

    private static readonly HashSet<string> DiagLevels = ["1", "2", "3", "4"];

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        var arg = takesDevice ? step.Args.GetValueOrDefault("device") : "all";
        var diag = step.Args.GetValueOrDefault("diag");
        if (diag is not null && !DiagLevels.Contains(diag)) return context.Failed("diag must be a dcgmi diag level, 1 to 4");
        IReadOnlyList<PciDevice> expected;
        if (arg == "all") expected = context.Devices.Gpus();
        else if (context.Devices.Gpu(arg) is { Value: { } one }) expected = [one];
        else return context.Failed(context.Devices.Gpu(arg).Error!);

        var query = await context.RunAsync(GpuCommands.Query(arg == "all" ? null : expected[0].Address), ct, echoOutput: false);
        if (context.Check(query, "nvidia-smi -q -x") is { } failed) return failed;
        if (context.DryRun)
        {
            if (diag is not null) await CudaCheck.FailureAsync(context, diag, expected.Count, ct);
            return context.Succeeded();
        }

        var wanted = expected.Select(g => g.Address).ToHashSet();
        var seen = NvidiaSmiXml.Parse(query.Output).Where(g => wanted.Contains(g.Address)).ToList();
        var missing = wanted.Except(seen.Select(g => g.Address)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0) return context.Failed($"nvidia-smi does not see GPU {string.Join(", ", missing)}");
        var problems = seen.SelectMany(GpuConditions.Of).Select(c => c.Message).ToList();
        if (problems.Count > 0) return context.Failed(string.Join("\n", problems));
        context.Note($"{seen.Count} GPU(s) healthy");
        if (diag is not null && await CudaCheck.FailureAsync(context, diag, seen.Count, ct) is { } cuda) return cuda;
        return context.Succeeded();
    }
}
