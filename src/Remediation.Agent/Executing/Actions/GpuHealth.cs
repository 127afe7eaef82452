using Remediation.Agent.Detecting.Gpu;
using Remediation.Agent.Devices;
using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>gpu_health</c> (one GPU, or <c>all</c>) and <c>node_health</c>: nvidia-smi answers for every GPU sysfs knows,
/// and none of them shows a fault condition. With <c>diag: N</c>, CUDA must work too (<see cref="CudaCheck"/>:
/// <c>dcgmi diag -r N -j</c>, else deviceQuery) and, on an NVSwitch system, Fabric Manager must be active. A whole-node
/// check also holds the node to its <see cref="NodeInventory"/>: a GPU or HCA in it that is gone is missing, and the
/// first whole-node check that passes takes the inventory when there is none. With <c>soak: 60s</c>, the GPUs' NVLink
/// links must hold over that long too (<see cref="NvLinkSoak"/>).
/// </summary>
public sealed class GpuHealth(string name, bool takesDevice) : IStepAction
{
    public static GpuHealth ForGpu() => new(StepActions.GpuHealth, takesDevice: true);
    public static GpuHealth ForNode() => new(StepActions.NodeHealth, takesDevice: false);

    public string Name => name;
    public IReadOnlySet<string> Args { get; } =
        takesDevice ? new HashSet<string> { "device", "diag", "soak" } : new HashSet<string> { "diag", "soak" };

    private static readonly HashSet<string> DiagLevels = ["1", "2", "3", "4"];

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        var arg = takesDevice ? step.Args.GetValueOrDefault("device") : "all";
        var diag = step.Args.GetValueOrDefault("diag");
        if (diag is not null && !DiagLevels.Contains(diag)) return context.Failed("diag must be a dcgmi diag level, 1 to 4");
        var (soak, soakError) = SoakArg.Parse(step.Args.GetValueOrDefault("soak"));
        if (soakError is not null) return context.Failed(soakError);
        IReadOnlyList<PciDevice> expected;
        if (arg == "all") expected = context.Devices.Gpus();
        else if (context.Devices.Gpu(arg) is { Value: { } one }) expected = [one];
        else return context.Failed(context.Devices.Gpu(arg).Error!);

        var query = await context.RunAsync(GpuCommands.Query(arg == "all" ? null : expected[0].Address), ct, echoOutput: false);
        if (context.Check(query, "nvidia-smi -q -x") is { } failed) return failed;
        if (context.DryRun)
        {
            if (diag is not null) await CudaCheck.FailureAsync(context, diag, expected.Count, ct);
            if (soak is { } dryRunSoak) await NvLinkSoak.FailureAsync(context, arg == "all" ? null : expected[0].Address, dryRunSoak, ct);
            return context.Succeeded();
        }

        NodeInventory? inventory = null;
        if (arg == "all" && context.InventoryPath is { } path)
        {
            try
            {
                inventory = NodeInventory.Load(path);
            }
            catch (InvalidDataException e)
            {
                return context.Failed(e.Message);
            }
            if (Missing(context, inventory, expected) is { } gone) return context.Failed(gone);
        }

        var wanted = expected.Select(g => g.Address).ToHashSet();
        var seen = NvidiaSmiXml.Parse(query.Output).Where(g => wanted.Contains(g.Address)).ToList();
        var missing = wanted.Except(seen.Select(g => g.Address)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0) return context.Failed($"nvidia-smi does not see GPU {string.Join(", ", missing)}");
        var problems = seen.SelectMany(GpuConditions.Of).Select(c => c.Message).ToList();
        if (problems.Count > 0) return context.Failed(string.Join("\n", problems));
        context.Note($"{seen.Count} GPU(s) healthy");
        if (diag is not null && await CudaCheck.FailureAsync(context, diag, seen.Count, ct) is { } cuda) return cuda;
        if (soak is { } watch && await NvLinkSoak.FailureAsync(context, arg == "all" ? null : expected[0].Address, watch, ct) is { } links) return links;
        if (arg == "all" && context.InventoryPath is { } inventoryPath) Keep(context, inventory, seen, inventoryPath);
        return context.Succeeded();
    }

    private static IReadOnlyList<string> Hcas(ActionContext context) =>
        context.Root.List(SysfsPaths.Infiniband).Where(DeviceArgs.IsCaName).Order(StringComparer.Ordinal).ToList();

    /// <summary>What the inventory has that the node no longer shows, or null.</summary>
    private static string? Missing(ActionContext context, NodeInventory? inventory, IReadOnlyList<PciDevice> onBus)
    {
        if (inventory is null) return null;
        var bus = onBus.Select(g => g.Address).ToHashSet();
        var hcas = Hcas(context).ToHashSet();
        var gone = inventory.Gpus.Where(g => !bus.Contains(g.Pci))
            .Select(g => $"GPU {g.Pci} (serial {g.Serial ?? "unknown"}) is missing: not on the PCI bus")
            .Concat(inventory.Hcas.Where(h => !hcas.Contains(h)).Select(h => $"HCA {h} is missing"))
            .ToList();
        return gone.Count == 0 ? null
            : string.Join("\n", gone) + $"\n(expected by the node's inventory, {inventory.Source} {inventory.TakenAt:u})";
    }

    /// <summary>Takes the inventory on the first healthy whole-node check; later ones add new GPUs and note replaced ones.</summary>
    private static void Keep(ActionContext context, NodeInventory? inventory, IReadOnlyList<GpuSnapshot> seen, string path)
    {
        var now = seen.Select(g => new NodeInventory.Gpu(g.Address, g.Serial, g.Uuid)).ToList();
        var rates = PortRates(context);
        if (inventory is null)
        {
            new NodeInventory(now, Hcas(context), "healthy check", context.Clock.GetUtcNow(), rates).Save(path);
            context.Note($"inventory taken: {now.Count} GPU(s), {Hcas(context).Count} HCA(s), {rates.Count} port rate(s)");
            return;
        }
        var changed = false;
        var gpus = inventory.Gpus.ToList();
        foreach (var gpu in now)
        {
            var known = gpus.FindIndex(g => g.Pci == gpu.Pci);
            if (known < 0)
            {
                gpus.Add(gpu);
                context.Note($"inventory: GPU {gpu.Pci} (serial {gpu.Serial ?? "unknown"}) added");
                changed = true;
            }
            else if (gpu.Serial is not null && gpus[known].Serial is { } before && before != gpu.Serial)
            {
                gpus[known] = gpu;
                context.Note($"inventory: GPU {gpu.Pci} was replaced (serial {before} -> {gpu.Serial})");
                changed = true;
            }
        }
        var hcas = inventory.Hcas.Union(Hcas(context)).Order(StringComparer.Ordinal).ToList();
        if (hcas.Count != inventory.Hcas.Count) changed = true;
        // A port's recorded rate is kept: the first healthy one is what link_check expects, not whatever it runs at now.
        var ports = new Dictionary<string, string>(inventory.Ports ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (name, rate) in rates) changed |= ports.TryAdd(name, rate);
        if (changed) (inventory with { Gpus = gpus, Hcas = hcas, Ports = ports }).Save(path);
    }

    private static Dictionary<string, string> PortRates(ActionContext context) =>
        IbPort.All(context.Root).Where(p => p is { IsActive: true, IsLinkUp: true })
            .Select(p => (p.Name, Rate: IbRate.Of(context.Root, p))).Where(p => p.Rate is not null)
            .ToDictionary(p => p.Name, p => p.Rate!.ToString(), StringComparer.Ordinal);
}
