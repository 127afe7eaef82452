using System.Xml;
using System.Xml.Linq;
using Remediation.Agent.Devices;

namespace Remediation.Agent.Detecting.Gpu;

/// <summary>
/// Reads <c>nvidia-smi -q -x</c> across driver generations: ECC as <c>sram_*</c>/<c>dram_*</c> (R535+; R550 splits
/// SRAM into parity and SEC-DED) or <c>double_bit</c> (older), throttle reasons as <c>clocks_event_reasons</c>
/// (R550+) or <c>clocks_throttle_reasons</c>. The DOCTYPE names a DTD that is never fetched.
/// </summary>
public static class NvidiaSmiXml
{
    private static readonly string[] UncorrectableFields =
        ["dram_uncorrectable", "sram_uncorrectable", "sram_uncorrectable_parity", "sram_uncorrectable_secded"];

    public static IReadOnlyList<GpuSnapshot> Parse(string xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        var document = XDocument.Load(reader);
        return document.Root?.Elements("gpu").Select(Read).OfType<GpuSnapshot>().ToList() ?? [];
    }

    private static GpuSnapshot? Read(XElement gpu)
    {
        var busId = (string?)gpu.Attribute("id") ?? Text(gpu, "pci", "pci_bus_id");
        if (busId is null || DeviceArgs.CanonicalPci(busId) is not { } address) return null;
        var ecc = gpu.Element("ecc_errors");
        var remap = gpu.Element("remapped_rows");
        var reasons = gpu.Element("clocks_event_reasons") ?? gpu.Element("clocks_throttle_reasons");
        var link = gpu.Element("pci")?.Element("pci_gpu_link_info");
        return new GpuSnapshot(
            address,
            Text(gpu, "uuid"),
            Uncorrectable(ecc?.Element("volatile")),
            Uncorrectable(ecc?.Element("aggregate")),
            Yes(Text(remap, "remapped_row_pending")),
            Yes(Text(remap, "remapped_row_failure")),
            Yes(Text(gpu.Element("retired_pages"), "pending_retirement")),
            Active(reasons, "hw_thermal_slowdown"),
            Active(reasons, "sw_thermal_slowdown"),
            Active(reasons, "gpu_idle"),
            Number(Text(link, "pcie_gen", "current_link_gen")),
            Number(Text(link, "pcie_gen", "max_link_gen")),
            Number(Text(link, "link_widths", "current_link_width")),
            Number(Text(link, "link_widths", "max_link_width")),
            Text(gpu, "mig_mode", "current_mig"),
            Text(gpu, "mig_mode", "pending_mig"),
            Text(gpu, "gpu_recovery_action"),
            Text(gpu, "serial"));
    }

    private static long? Uncorrectable(XElement? section)
    {
        if (section is null) return null;
        var counts = UncorrectableFields.Select(f => Number(Text(section, f))).OfType<int>().ToList();
        if (counts.Count > 0) return counts.Sum(c => (long)c);
        return Number(Text(section, "double_bit", "total"));
    }

    private static bool Active(XElement? reasons, string reason) =>
        reasons?.Elements().Any(e => e.Name.LocalName.EndsWith("_" + reason, StringComparison.Ordinal) && e.Value.Trim() == "Active") == true;

    private static bool Yes(string? text) => text == "Yes";

    private static int? Number(string? text)
    {
        var digits = text?.TrimEnd('x', 'X', ' ');
        return int.TryParse(digits, out var value) ? value : null;
    }

    private static string? Text(XElement? element, params string[] path)
    {
        foreach (var name in path) element = element?.Element(name);
        return element?.Value.Trim();
    }
}
