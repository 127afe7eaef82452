using Remediation.Agent.Devices;
using Remediation.Agent.Running;

namespace Remediation.Agent.Detecting.Fabric;

/// <summary>
/// NVIDIA Fabric Manager as systemd runs it on NVSwitch systems (HGX/DGX A100, H100, H200): the unit, how to ask
/// whether it runs, and whether this node has NVSwitches at all: the driver lists each one it bound under
/// /proc/driver/nvidia-nvswitch/devices (procfs_nvswitch.c), and nvidia-modprobe creates their control node.
/// </summary>
public static class FabricManagerService
{
    public const string Unit = "nvidia-fabricmanager";
    public const string ControlDevice = "/dev/nvidia-nvswitchctl";
    public const string ProcDevices = "/proc/driver/nvidia-nvswitch/devices";
    public const string LogFile = "/var/log/fabricmanager.log";

    public static readonly Argv IsActive = Argv.Of("systemctl", "is-active", Unit);
    public static readonly Argv Restart = Argv.Of("systemctl", "restart", Unit);

    /// <summary>systemd's answers while a unit is on its way up or down: not a failure yet.</summary>
    private static readonly HashSet<string> Transitional = ["activating", "deactivating", "reloading", "refreshing"];

    public static bool HasNvSwitches(HostRoot root) => root.List(ProcDevices).Count > 0 || root.Exists(ControlDevice);

    /// <summary>
    /// The state <c>systemctl is-active</c> printed when it is a failure ("failed", "inactive"), or null while the
    /// unit is active or changing state.
    /// </summary>
    public static string? Failure(CommandResult result)
    {
        var state = result.Output.Trim();
        if (result.Succeeded || Transitional.Contains(state)) return null;
        return state.Length > 0 ? state : $"unknown (systemctl exited {result.ExitCode})";
    }
}
