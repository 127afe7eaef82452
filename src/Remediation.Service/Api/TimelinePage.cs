using Remediation.Store;
using Remediation.Service.Incidents;

namespace Remediation.Service.Api;

/// <summary>
/// A page of a node's timeline, <c>?after=SEQ&amp;limit=N&amp;order=asc|desc</c>: events after (ascending) or before
/// (descending) a sequence. The body stays the contract's JSON array; a <c>Link: rel="next"</c> header says where
/// the next page is, and its absence that this was the last.
/// </summary>
public sealed record TimelinePage(long? After, int Limit, string Order)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;

    public static (TimelinePage? Page, string? Error) Parse(long? after, int? limit, string? order)
    {
        if (limit is < 1 or > MaxLimit) return (null, $"limit must be from 1 to {MaxLimit}");
        if (after is < 0) return (null, "after must be a sequence number, 0 or more");
        var o = (order ?? "asc").ToLowerInvariant();
        if (o is not ("asc" or "desc")) return (null, $"order must be asc (oldest first) or desc (newest first), not '{order}'");
        return (new TimelinePage(after, limit ?? DefaultLimit, o), null);
    }

    /// <summary>Up to one more than the limit, so the caller knows whether another page follows.</summary>
    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(StoredEvents log, string nodeId, DateTimeOffset? since, CancellationToken ct)
    {
        var newestFirst = Order == "desc";
        // `after` bounds the versions from below going forwards, from above going backwards.
        var (above, below) = newestFirst ? (0, After ?? long.MaxValue) : (After ?? 0, long.MaxValue);
        var rows = await log.ReadStreamAsync(nodeId, above, below, since ?? DateTimeOffset.MinValue, newestFirst, Limit + 1, ct);
        return rows.Select(TimelineEntry.Of).ToList();
    }

    public long? NextAfter(IReadOnlyList<TimelineEntry> rows) => rows.Count > Limit ? rows[Limit - 1].Sequence : null;
}
