namespace Remediation.Agent.Detecting.Gpu;

/// <summary>The health-relevant part of one <c>&lt;gpu&gt;</c> of <c>nvidia-smi -q -x</c>. Null where the driver said N/A.</summary>
public sealed record GpuSnapshot(
    string Address,
    string? Uuid,
    long? VolatileUncorrectable,
    long? AggregateUncorrectable,
    bool RemapPending,
    bool RemapFailure,
    bool RetirementPending,
    bool HwThermalSlowdown,
    bool SwThermalSlowdown,
    bool Idle,
    int? CurrentGen,
    int? MaxGen,
    int? CurrentWidth,
    int? MaxWidth,
    string? MigCurrent = null,
    string? MigPending = null,
    string? RecoveryAction = null,
    string? Serial = null)
{
    /// <summary>The kernel's Xid spelling of the device, which the runbooks hand back to the agent.</summary>
    public string FaultName => "PCI:" + Address[..^2];
}
