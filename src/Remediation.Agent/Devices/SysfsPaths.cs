namespace Remediation.Agent.Devices;

public static class SysfsPaths
{
    public const string PciDevices = "/sys/bus/pci/devices";
    public const string Infiniband = "/sys/class/infiniband";
    public const string Net = "/sys/class/net";
    public const string Modules = "/sys/module";
    public const string BootId = "/proc/sys/kernel/random/boot_id";
    public const string Kmsg = "/dev/kmsg";
}
