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
[JsonConverter(typeof(RecentEventsJson))]
public sealed class RecentEvents : IEquatable<RecentEvents>
{
    public static readonly RecentEvents None = new([]);

    private readonly ulong[] _hashes;

    private RecentEvents(ulong[] hashes) => _hashes = hashes;

    public int Count => _hashes.Length;

    public bool Contains(string eventId) => Array.IndexOf(_hashes, Hash(eventId)) >= 0;

    /// <summary>These with <paramref name="eventId"/> added last, the oldest dropped beyond the limit.</summary>
    public RecentEvents Remember(string eventId) => Remember([eventId]);

    public RecentEvents Remember(IReadOnlyCollection<string> eventIds)
    {
        if (eventIds.Count == 0) return this;
        var all = new ulong[_hashes.Length + eventIds.Count];
        _hashes.CopyTo(all, 0);
        var i = _hashes.Length;
        foreach (var id in eventIds) all[i++] = Hash(id);
        var keep = Math.Min(all.Length, NodeState.RememberedEventIds);
        return new RecentEvents(all[^keep..]);
    }

    public static RecentEvents Of(IEnumerable<string> eventIds) => None.Remember(eventIds.ToList());

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

    public bool Equals(RecentEvents? other) => other is not null && _hashes.AsSpan().SequenceEqual(other._hashes);

    public override bool Equals(object? obj) => Equals(obj as RecentEvents);

    public override int GetHashCode() => _hashes.Length == 0 ? 0 : HashCode.Combine(_hashes.Length, _hashes[^1]);

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
            var bytes = new byte[value._hashes.Length * sizeof(ulong)];
            for (var i = 0; i < value._hashes.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)), value._hashes[i]);
            writer.WriteBase64StringValue(bytes);
        }
    }
}
