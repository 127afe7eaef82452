namespace Remediation.Contracts;

/// <summary>The closed set of <see cref="FaultDetected.Kind"/> values on the wire.</summary>
public static class FaultKinds
{
    public const string Xid = "xid";
    public const string Ecc = "ecc";
    public const string RowRemap = "row_remap";
    public const string NvLink = "nvlink";
    public const string LinkFlap = "link_flap";
    public const string LinkDown = "link_down";
    public const string PcieDegraded = "pcie_degraded";
    public const string Thermal = "thermal";
    public const string DriverHang = "driver_hang";
    public const string NcclTimeout = "nccl_timeout";
    public const string HealthCheckFailed = "health_check_failed";
    public const string HeartbeatLost = "heartbeat_lost";

    /// <summary>An NVSwitch error (SXid) from the <c>nvidia-nvswitch</c> driver; <see cref="FaultDetected.Sxid"/> carries its number.</summary>
    public const string Sxid = "sxid";

    /// <summary>The NVSwitch Fabric Manager service failed, or its log reports a fabric failure.</summary>
    public const string FabricManager = "fabric_manager";

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        Xid, Ecc, RowRemap, NvLink, LinkFlap, LinkDown, PcieDegraded,
        Thermal, DriverHang, NcclTimeout, HealthCheckFailed, HeartbeatLost, Sxid, FabricManager,
    };
}
