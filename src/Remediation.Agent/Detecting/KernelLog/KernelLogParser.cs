using System.Buffers;
using System.Text.RegularExpressions;
using Remediation.Contracts;

namespace Remediation.Agent.Detecting.KernelLog;

/// <summary>
/// Reads kernel log lines in any of the shapes they reach us (dmesg, dmesg -T, journald/syslog, raw /dev/kmsg
/// records, or a bare message) and returns the fault a line reports: GPU Xids, NVSwitch SXids, driver hangs, link
/// state changes. One instance per stream: a few faults are only visible across consecutive lines.
/// </summary>
public sealed class KernelLogParser(string nodeId, string? cluster, TimeProvider clock)
{
    public const string Source = "kmsg";

    // Every line we act on carries one of these; checking for them first keeps the common line allocation-free.
    private static readonly SearchValues<string> Markers = SearchValues.Create(["NVRM", "mlx5_core", "SXid"], StringComparison.Ordinal);

    // The driver tried to sleep where it must not; on the real samples the machine froze right after.
    private const string AtomicYield = "NVRM: os_schedule: Attempted to yield the CPU while in atomic or interrupt context";

    // Last line of the three-line report newer drivers print for a lost GPU without any Xid line;
    // NVIDIA's NVSentinel and gpud both treat it as Xid 79.
    private const string FallenOffBusTail = "NVRM: fallen off the bus and is not responding to commands.";
    private const int FallenOffBusXid = 79;

    private readonly LinkStates links = new();
    private string? gpuReportedLost;

    public FaultDetected? Parse(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd("\r\n");
        if (line.IndexOfAny(Markers) < 0) return null;
        var text = line.ToString();
        if (Find(text) is not { } finding) return null;
        return new FaultDetected(
            FaultEventId.For(nodeId, text),
            nodeId,
            finding.Kind,
            finding.Xid,
            finding.Device,
            text,
            KernelLogTimestamp.ObservedAt(text, clock),
            Source,
            cluster,
            finding.Sxid,
            finding.Link,
            finding.Fatal);
    }

    private KernelFinding? Find(string line)
    {
        var xid = KernelLogPatterns.XidLine().Match(line);
        if (xid.Success)
            return new KernelFinding(FaultKinds.Xid, int.Parse(xid.Groups["xid"].ValueSpan), Pci(xid));

        if (NvSwitchErrors.Find(line) is { } nvswitch) return nvswitch;

        if (line.Contains(AtomicYield, StringComparison.Ordinal))
            return new KernelFinding(FaultKinds.DriverHang, null, null);

        var lost = KernelLogPatterns.FallenOffBusHeader().Match(line);
        if (lost.Success)
        {
            gpuReportedLost = Pci(lost);
            return null;
        }
        if (line.Contains(FallenOffBusTail, StringComparison.Ordinal))
        {
            var device = gpuReportedLost;
            gpuReportedLost = null;
            return new KernelFinding(FaultKinds.Xid, FallenOffBusXid, device);
        }

        var link = KernelLogPatterns.Mlx5LinkState().Match(line);
        if (link.Success)
            return links.Observe(Pci(link), link.Groups["state"].ValueSpan is "down" or "DOWN");

        return null;
    }

    private static string Pci(Match match) => "PCI:" + match.Groups["device"].Value;
}
