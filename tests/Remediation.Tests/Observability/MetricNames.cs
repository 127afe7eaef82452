using System.Text.RegularExpressions;

namespace Remediation.Tests.Observability;

/// <summary>The service's metric names as PromQL uses them and as /metrics exports them, histograms by base name.</summary>
public static partial class MetricNames
{
    private static readonly string[] HistogramSeries = ["_bucket", "_sum", "_count"];

    public static SortedSet<string> In(IEnumerable<string> expressions) =>
        new(expressions.SelectMany(e => Name().Matches(e)).Select(m => Base(m.Value)));

    /// <summary>Names of series present in a Prometheus text scrape (families with no series yet do not count).</summary>
    public static SortedSet<string> Exported(string scrape) =>
        new(scrape.Split('\n')
            .Where(line => line.StartsWith("remediation_", StringComparison.Ordinal))
            .Select(line => Base(line[..line.IndexOfAny(['{', ' '])])));

    private static string Base(string name) =>
        HistogramSeries.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal)) is { } suffix ? name[..^suffix.Length] : name;

    [GeneratedRegex(@"\bremediation_[a-z0-9_]+")]
    private static partial Regex Name();
}
