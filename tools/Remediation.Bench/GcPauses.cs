namespace Remediation.Bench;

/// <summary>
/// The runtime keeps the pauses of its last collection of each kind; read after a window, those that fell inside it say
/// whether a stall in it could have been a collection, and of which kind.
/// </summary>
public sealed class GcPauses
{
    private static readonly GCKind[] Kinds = [GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background];

    private readonly long _index = GC.GetGCMemoryInfo(GCKind.Any).Index;

    /// <summary>The last collection of each kind since this was made, with its generation and pauses.</summary>
    public string Describe()
    {
        var inside = Kinds.Select(k => (Kind: k, Info: GC.GetGCMemoryInfo(k))).Where(x => x.Info.Index > _index).ToList();
        if (inside.Count == 0) return "no collection";
        return string.Join("; ", inside.Select(x =>
            $"last {x.Kind.ToString().ToLowerInvariant()} (#{x.Info.Index - _index}, gen{x.Info.Generation}): pauses " +
            string.Join("+", x.Info.PauseDurations.ToArray().Where(p => p > TimeSpan.Zero).Select(p => $"{p.TotalMilliseconds:F0}")) + " ms"));
    }
}
