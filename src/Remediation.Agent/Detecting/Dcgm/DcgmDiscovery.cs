using System.Text.RegularExpressions;
using Remediation.Agent.Devices;

namespace Remediation.Agent.Detecting.Dcgm;

/// <summary>DCGM GPU ids to PCI addresses, from the GPU table of <c>dcgmi discovery -l</c>.</summary>
public static partial class DcgmDiscovery
{
    private const string BusIdLabel = "PCI Bus ID:";

    public static IReadOnlyDictionary<string, string> PciAddresses(string text)
    {
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        var inGpus = false;
        string? id = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (Found().Match(line) is { Success: true } found) inGpus = found.Groups["what"].Value.StartsWith("GPU", StringComparison.Ordinal);
            if (!inGpus || !line.StartsWith('|')) continue;
            var cells = line.Trim('|').Split('|', 2);
            if (cells.Length < 2) continue;
            if (int.TryParse(cells[0], out _)) id = cells[0].Trim();
            var info = cells[1].Trim();
            if (id is not null && info.StartsWith(BusIdLabel, StringComparison.Ordinal)
                && DeviceArgs.CanonicalPci(info[BusIdLabel.Length..].Trim()) is { } address)
                addresses[id] = address;
        }
        return addresses;
    }

    [GeneratedRegex(@"^\d+ (?<what>\S+) found")]
    private static partial Regex Found();
}
