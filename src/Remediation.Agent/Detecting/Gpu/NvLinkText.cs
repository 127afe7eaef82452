using System.Globalization;
using System.Text.RegularExpressions;

namespace Remediation.Agent.Detecting.Gpu;

/// <summary>
/// Reads <c>nvidia-smi nvlink -s</c> ("GPU 0: NVIDIA H100 80GB HBM3 (UUID: …)" then "Link 0: 26.562 GB/s" or
/// "Link 2: &lt;inactive&gt;" per link) and <c>nvidia-smi nvlink -e</c> ("Link 0: Replay Errors: 0", "Link 0: Recovery
/// Errors: 0", "Link 0: CRC Errors: 0" per link). Keys are "GPU 0" as nvidia-smi heads each block.
/// </summary>
public static partial class NvLinkText
{
    [GeneratedRegex(@"^(GPU \d+):")]
    private static partial Regex Gpu();

    [GeneratedRegex(@"^Link (\d+): (?:([\d.]+) GB/s|<inactive>)$")]
    private static partial Regex Speed();

    [GeneratedRegex(@"^Link (\d+): ([A-Za-z][A-Za-z ]*?): (\d+)$")]
    private static partial Regex Counter();

    /// <summary>Each link's speed in GB/s, null for an inactive one.</summary>
    public static IReadOnlyDictionary<(string Gpu, int Link), double?> Status(string text) =>
        Lines(text, Speed()).ToDictionary(l => (l.Gpu, int.Parse(l.Match.Groups[1].Value, CultureInfo.InvariantCulture)),
            l => l.Match.Groups[2].Success ? double.Parse(l.Match.Groups[2].Value, CultureInfo.InvariantCulture) : (double?)null);

    public static IReadOnlyDictionary<(string Gpu, int Link, string Counter), long> Errors(string text) =>
        Lines(text, Counter()).ToDictionary(
            l => (l.Gpu, int.Parse(l.Match.Groups[1].Value, CultureInfo.InvariantCulture), l.Match.Groups[2].Value),
            l => long.Parse(l.Match.Groups[3].Value, CultureInfo.InvariantCulture));

    private static IEnumerable<(string Gpu, Match Match)> Lines(string text, Regex pattern)
    {
        var gpu = "GPU ?";
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (Gpu().Match(line) is { Success: true } header) gpu = header.Groups[1].Value;
            else if (pattern.Match(line) is { Success: true } m) yield return (gpu, m);
        }
    }
}
