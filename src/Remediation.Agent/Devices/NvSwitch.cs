namespace Remediation.Agent.Devices;

/// <summary>
/// Whether this is an NVSwitch system (HGX/DGX): the driver lists its switches under /proc/driver/nvidia-nvswitch/devices.
/// There a GPU reset disturbs the fabric its peers use, and only Fabric Manager brings a reset GPU back into it.
/// </summary>
public static class NvSwitch
{
    public const string Devices = "/proc/driver/nvidia-nvswitch/devices";

    public static bool Present(HostRoot root) =>
        Directory.Exists(root.Resolve(Devices)) && Directory.EnumerateFileSystemEntries(root.Resolve(Devices)).Any();
}
