using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Remediation.Core.Nodes;

/// <summary>
/// The eventIds a node remembers for dedupe, oldest first, at most <see cref="NodeState.RememberedEventIds"/>: kept as
/// 64-bit hashes, not the ids. The node document is rewritten on every commit that touches the node, and 256 ids of 40
/// or so characters made it about 12 KB once full (stored compressed out of line, since PostgreSQL moves a row's large
/// values to TOAST above 2 KB); 256 hashes are 2 KB of binary, 2.7 KB as base64 in the JSON. A new id matches one of 256
/// remembered hashes by chance with odds of about 2^-56; a fault so taken for a repeat is recorded as ignored, not lost,
/// and the hashes are per node, so a node that crafted a match could only hide a fault of its own.
/// Reads the older form too, an array of the ids themselves.
/// </summary>
/// <remarks>
/// Every fault a node reports gives it a new state with one more hash, so copying all of them each time made folding a
/// stream cost 2 KB of copying an event. Successive states share one append-only log instead: a state is a window on it,
/// and remembering extends the log in place when the state is its newest and it has room. An older state reads only
/// slots before its own end, which are never written again, so it stays as it was. Which of two appends to one state
/// extends the log is settled by a compare-and-swap on its length; the other, like an append to a full log, starts a new
/// log with the last <see cref="NodeState.RememberedEventIds"/>.
/// </remarks>
[JsonConverter(typeof(RecentEventsJson))]
public sealed class RecentEvents : IEquatable<RecentEvents>
{
    public static readonly RecentEvents None = new(new Log([]), 0, 0);

    private const int Limit = NodeState.RememberedEventIds;

    private sealed class Log(ulong[] hashes)
    {
        public readonly ulong[] Hashes = hashes;
        public int Used;
    }

    private readonly Log _log;
    private readonly int _start;

    private RecentEvents(Log log, int start, int count) => (_log, _start, Count) = (log, start, count);

    private RecentEvents(ulong[] hashes) : this(new Log(hashes) { Used = hashes.Length }, 0, hashes.Length) { }

    public int Count { get; }

    private ReadOnlySpan<ulong> Hashes => _log.Hashes.AsSpan(_start, Count);

    public bool Contains(string eventId) => Hashes.IndexOf(Hash(eventId)) >= 0;

    /// <summary>These with <paramref name="eventId"/> added last, the oldest dropped beyond the limit.</summary>
    public RecentEvents Remember(string eventId) => Append([Hash(eventId)]);

    public RecentEvents Remember(IReadOnlyCollection<string> eventIds) =>
        eventIds.Count == 0 ? this : Append(eventIds.Select(Hash).ToArray());

    public static RecentEvents Of(IEnumerable<string> eventIds) => None.Remember(eventIds.ToList());

    private RecentEvents Append(ReadOnlySpan<ulong> added)
    {
        var end = _start + Count;
        var count = Math.Min(Count + added.Length, Limit);
        if (added.Length <= _log.Hashes.Length - end && Interlocked.CompareExchange(ref _log.Used, end + added.Length, end) == end)
        {
            added.CopyTo(_log.Hashes.AsSpan(end));
            return new RecentEvents(_log, end + added.Length - count, count);
        }
        // Room for as many again, up to a limit's worth of appends before the next copy.
        var log = new Log(new ulong[Math.Min(Math.Max(2 * count, 8), 2 * Limit)]) { Used = count };
        var kept = count - Math.Min(added.Length, count);
        Hashes[(Count - kept)..].CopyTo(log.Hashes);
        added[^(count - kept)..].CopyTo(log.Hashes.AsSpan(kept));
        return new RecentEvents(log, 0, count);
    }

    /// <summary>FNV-1a over the id's UTF-16 code units: the same in every process, unlike string.GetHashCode.</summary>
    private static ulong Hash(string eventId)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in eventId)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        return hash;
    }

    public bool Equals(RecentEvents? other) => other is not null && Hashes.SequenceEqual(other.Hashes);

    public override bool Equals(object? obj) => Equals(obj as RecentEvents);

    public override int GetHashCode() => Count == 0 ? 0 : HashCode.Combine(Count, Hashes[^1]);

    private sealed class RecentEventsJson : JsonConverter<RecentEvents>
    {
        public override RecentEvents Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    var bytes = reader.GetBytesFromBase64();
                    if (bytes.Length % sizeof(ulong) != 0) throw new JsonException($"recent event hashes of {bytes.Length} bytes, not a multiple of 8");
                    var hashes = new ulong[bytes.Length / sizeof(ulong)];
                    for (var i = 0; i < hashes.Length; i++) hashes[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)));
                    return new RecentEvents(hashes);
                case JsonTokenType.StartArray:
                    // The older form: the ids themselves.
                    var ids = new List<string>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        ids.Add(reader.GetString() ?? throw new JsonException("a recent eventId was null"));
                    return Of(ids);
                case JsonTokenType.Null:
                    return None;
                default:
                    throw new JsonException($"recent events must be a base64 string or an array of eventIds, not {reader.TokenType}");
            }
        }

        public override void Write(Utf8JsonWriter writer, RecentEvents value, JsonSerializerOptions options)
        {
            var hashes = value.Hashes;
            var bytes = new byte[hashes.Length * sizeof(ulong)];
            for (var i = 0; i < hashes.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)), hashes[i]);
            writer.WriteBase64StringValue(bytes);
        }
    }
}
