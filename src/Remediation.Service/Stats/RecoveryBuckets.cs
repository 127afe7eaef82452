namespace Remediation.Service.Stats;

/// <summary>
/// Times to recovery in log-scale buckets, four per doubling (each 19 % wide), from one second to decades: a month's
/// percentiles are read from a few thousand daily counts instead of every incident, within one bucket's width.
/// </summary>
public static class RecoveryBuckets
{
    private const int PerDoubling = 4;
    private const short Last = 127;

    public static short Of(TimeSpan recovery) =>
        recovery.TotalSeconds <= 1 ? (short)0 : (short)Math.Min(Last, Math.Floor(PerDoubling * Math.Log2(recovery.TotalSeconds)));

    /// <summary>The bucket's middle on the log scale, in seconds.</summary>
    public static double Seconds(short bucket) => Math.Pow(2, (bucket + 0.5) / PerDoubling);

    public static double? Percentile(IReadOnlyDictionary<short, int> counts, double p)
    {
        var total = counts.Values.Sum();
        if (total == 0) return null;
        var rank = p * total;
        var seen = 0;
        foreach (var (bucket, n) in counts.OrderBy(c => c.Key))
        {
            seen += n;
            if (seen >= rank) return Math.Round(Seconds(bucket), 3);
        }
        return Math.Round(Seconds(counts.Keys.Max()), 3);
    }
}
