using System.Text.RegularExpressions;

namespace Remediation.Core.Nodes;

/// <summary>A GPU as an RMA names it: PCI address (domain:bus:device.function, lower case), board serial, UUID.</summary>
public sealed record GpuIdentity(string Pci, string? Serial, string? Uuid)
{
    /// <summary>Whether the kernel's spelling of a device (<c>PCI:0000:3b:00</c>) or a full address names this GPU.</summary>
    public bool Is(string? device)
    {
        if (string.IsNullOrEmpty(device)) return false;
        var bare = device.StartsWith("PCI:", StringComparison.OrdinalIgnoreCase) ? device[4..] : device;
        return Pci.Equals(bare, StringComparison.OrdinalIgnoreCase) || Pci.StartsWith(bare + ".", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Reads the lines <c>collect_evidence</c> prints: <c>gpu PCI serial=S uuid=U</c> and <c>bug-report PATH N bytes…</c>.</summary>
public static partial class AgentEvidence
{
    [GeneratedRegex(@"^gpu (?<pci>[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-7]) serial=(?<serial>\S+) uuid=(?<uuid>\S+)$", RegexOptions.Multiline)]
    private static partial Regex GpuLine();

    [GeneratedRegex(@"^bug-report (?<report>\S+ \d+ bytes.*)$", RegexOptions.Multiline)]
    private static partial Regex ReportLine();

    public static IReadOnlyList<GpuIdentity> Gpus(string? output) =>
        output is null ? [] : GpuLine().Matches(output.ReplaceLineEndings("\n"))
            .Select(m => new GpuIdentity(m.Groups["pci"].Value.ToLowerInvariant(), Known(m.Groups["serial"].Value), Known(m.Groups["uuid"].Value)))
            .DistinctBy(g => g.Pci).ToList();

    public static string? BugReport(string? output) =>
        output is null ? null : ReportLine().Match(output.ReplaceLineEndings("\n")) is { Success: true } m ? m.Groups["report"].Value.TrimEnd() : null;

    private static string? Known(string value) => value is "unknown" or "N/A" ? null : value;
}
