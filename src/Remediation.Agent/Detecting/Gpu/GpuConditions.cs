using Remediation.Contracts;

namespace Remediation.Agent.Detecting.Gpu;

/// <summary>What in a GPU's snapshot is a fault, as conditions the edge tracker reports once each.</summary>
public static class GpuConditions
{
    public static IEnumerable<Condition> Of(GpuSnapshot gpu)
    {
        var device = gpu.FaultName;
        if (gpu.VolatileUncorrectable is > 0)
            yield return new Condition($"ecc:{gpu.Address}", FaultKinds.Ecc, device,
                $"{gpu.VolatileUncorrectable} uncorrectable ECC errors since the driver loaded ({gpu.AggregateUncorrectable?.ToString() ?? "N/A"} lifetime) on GPU {gpu.Address}",
                gpu.VolatileUncorrectable.Value);
        else if (gpu.VolatileUncorrectable is null && gpu.AggregateUncorrectable is > 0)
            yield return new Condition($"ecc.aggregate:{gpu.Address}", FaultKinds.Ecc, device,
                $"{gpu.AggregateUncorrectable} lifetime uncorrectable ECC errors on GPU {gpu.Address}", gpu.AggregateUncorrectable.Value)
            { Baseline = true, Lifetime = true };

        // A failed remap has no spare rows left: only a replacement helps. A pending one needs a GPU reset to take
        // effect, which is what the ecc runbook does, so it is reported as ecc rather than row_remap.
        if (gpu.RemapFailure)
            yield return new Condition($"remap.failure:{gpu.Address}", FaultKinds.RowRemap, device, $"row remapping failed on GPU {gpu.Address}: no spare rows left");
        if (gpu.RemapPending || gpu.RetirementPending)
            yield return new Condition($"remap.pending:{gpu.Address}", FaultKinds.Ecc, device,
                $"{(gpu.RemapPending ? "row remap" : "page retirement")} pending on GPU {gpu.Address}: a GPU reset activates it");

        // The driver's own verdict on what the GPU needs (R575+): the service starts its ladder no lower than it. The key
        // holds the action, so a change to another action is reported again.
        if (gpu.RecoveryAction is { } action && action is not ("None" or "N/A"))
            yield return new Condition($"recovery:{gpu.Address}:{action}", FaultKinds.HealthCheckFailed, device,
                $"GPU Recovery Action: {action} on GPU {gpu.Address}");

        if (gpu.HwThermalSlowdown || gpu.SwThermalSlowdown)
            yield return new Condition($"thermal:{gpu.Address}", FaultKinds.Thermal, device,
                $"{(gpu.HwThermalSlowdown ? "HW" : "SW")} thermal slowdown active on GPU {gpu.Address}");

        // Idle GPUs drop to a lower PCIe generation to save power; only a loaded GPU below its generation is degraded.
        // Width never changes for power, and sysfs reports it for every device, so the PCIe detector owns width.
        if (!gpu.Idle && gpu is { CurrentGen: { } gen, MaxGen: { } max } && gen < max)
            yield return new Condition($"pcie.gen:{gpu.Address}", FaultKinds.PcieDegraded, device,
                $"GPU {gpu.Address} PCIe link at gen {gen} of {max} while busy");
    }
}
