using System.Globalization;

namespace Remediation.Agent.Devices;

/// <summary>One function under <c>/sys/bus/pci/devices</c>, with the link attributes the kernel exports for it.</summary>
public sealed record PciDevice(string Address, string Vendor, string Class, PcieLink? Link)
{
    public const string NvidiaVendor = "0x10de";
    public const string MellanoxVendor = "0x15b3";

    /// <summary>NVIDIA display controllers: 0x0300xx (VGA) and 0x0302xx (3D, every datacenter GPU).</summary>
    public bool IsNvidiaGpu => Vendor == NvidiaVendor && (Class.StartsWith("0x0300", StringComparison.Ordinal) || Class.StartsWith("0x0302", StringComparison.Ordinal));

    /// <summary>Network (0x0200xx Ethernet) and InfiniBand (0x0207xx) controllers.</summary>
    public bool IsNic => Class.StartsWith("0x0200", StringComparison.Ordinal) || Class.StartsWith("0x0207", StringComparison.Ordinal);

    /// <summary>How the agent names a GPU in faults, as the kernel's Xid lines do: <c>PCI:0000:3b:00</c>.</summary>
    public string FaultName => "PCI:" + Address[..^2];

    public static IReadOnlyList<PciDevice> All(HostRoot root) =>
        root.List(SysfsPaths.PciDevices).Select(address => Read(root, address)).OfType<PciDevice>().ToList();

    public static PciDevice? Read(HostRoot root, string address)
    {
        var dir = $"{SysfsPaths.PciDevices}/{address}";
        if (!DeviceArgs.IsPciFunction(address) || root.ReadText($"{dir}/vendor") is not { } vendor || root.ReadText($"{dir}/class") is not { } cls)
            return null;
        return new PciDevice(address, vendor.ToLowerInvariant(), cls.ToLowerInvariant(), PcieLink.Read(root, dir));
    }
}

/// <summary>Negotiated and maximum PCIe link. Speeds in GT/s ("16.0 GT/s PCIe" on 5.x+ kernels, "8 GT/s" before).</summary>
public sealed record PcieLink(double CurrentSpeed, int CurrentWidth, double MaxSpeed, int MaxWidth)
{
    public static PcieLink? Read(HostRoot root, string dir)
    {
        var current = Speed(root.ReadText($"{dir}/current_link_speed"));
        var max = Speed(root.ReadText($"{dir}/max_link_speed"));
        var width = root.ReadLong($"{dir}/current_link_width");
        var maxWidth = root.ReadLong($"{dir}/max_link_width");
        if (current is null || max is null || width is null || maxWidth is null) return null;
        return new PcieLink(current.Value, (int)width.Value, max.Value, (int)maxWidth.Value);
    }

    private static double? Speed(string? text)
    {
        var number = text?.Split(' ', 2)[0];
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
