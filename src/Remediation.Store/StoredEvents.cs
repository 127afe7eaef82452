using System.Runtime.CompilerServices;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace Remediation.Store;

/// <summary>
/// Reads stored events straight from <c>mt_events</c> in one query, as Marten wrote them and as Marten would read them
/// back (its serializer, its type names). Marten's own event queries resolve each row's .NET type by a scan of every
/// registered mapping and build an <c>IEvent</c> envelope per row; a rebuild that folds the whole store, or a timeline
/// page, needs neither: the type is one dictionary lookup by the stored alias, and the row becomes a small record.
/// </summary>
public sealed class StoredEvents
{
    private readonly IDocumentStore _store;
    private readonly ISerializer _serializer;
    private readonly Dictionary<string, Type> _types;
    private readonly string _all, _page;

    public StoredEvents(IDocumentStore store)
    {
        _store = store;
        var options = (StoreOptions)store.Options;
        _serializer = options.Serializer();
        _types = ((Marten.Events.EventGraph)options.Events).AllKnownEventTypes().ToDictionary(t => t.EventTypeName, t => t.EventType);
        var s = options.DatabaseSchemaName;
        const string columns = "seq_id, stream_id, version, timestamp, type, data";
        _all = $"select {columns} from {s}.mt_events where seq_id > $1 and is_archived = false order by seq_id";
        _page = $"select {columns} from {s}.mt_events where stream_id = $1 and is_archived = false and timestamp >= $2 "
            + "and version > $3 and version < $4 order by version {0} limit $5";
    }

    /// <summary>Every event after <paramref name="after"/>, in the order they were committed, streamed as they arrive.</summary>
    public async IAsyncEnumerable<LoggedEvent> ReadAllAsync(long after, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(_all, connection) { CommandTimeout = 0 };
        command.Parameters.Add(new NpgsqlParameter { Value = after, NpgsqlDbType = NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return Read(reader);
    }

    /// <summary>Every event of one stream after <paramref name="afterVersion"/>, oldest first.</summary>
    public Task<List<LoggedEvent>> ReadStreamAfterAsync(string streamKey, long afterVersion, CancellationToken ct) =>
        ReadStreamAsync(streamKey, afterVersion, long.MaxValue, DateTimeOffset.MinValue, newestFirst: false, int.MaxValue, ct);

    /// <summary>
    /// Up to <paramref name="limit"/> events of one stream with versions strictly between the bounds, from
    /// <paramref name="since"/> on, oldest or newest first: served by the (stream_id, version) index, however large the store.
    /// </summary>
    public async Task<List<LoggedEvent>> ReadStreamAsync(
        string streamKey, long afterVersion, long beforeVersion, DateTimeOffset since, bool newestFirst, int limit, CancellationToken ct)
    {
        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(string.Format(_page, newestFirst ? "desc" : "asc"), connection);
        command.Parameters.Add(new NpgsqlParameter { Value = streamKey, NpgsqlDbType = NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter { Value = since, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = afterVersion, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = beforeVersion, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<LoggedEvent>();
        while (await reader.ReadAsync(ct)) rows.Add(Read(reader));
        return rows;
    }

    private LoggedEvent Read(NpgsqlDataReader reader)
    {
        var sequence = reader.GetInt64(0);
        var stream = reader.GetString(1);
        var version = reader.GetInt64(2);
        var timestamp = reader.GetFieldValue<DateTimeOffset>(3);
        var alias = reader.GetString(4);
        // A type this build does not know (written by a newer one) is kept as its raw JSON rather than failing the read.
        var data = _types.TryGetValue(alias, out var type) ? _serializer.FromJson(type, reader, 5) : new UnknownEvent(alias, reader.GetString(5));
        return new LoggedEvent(sequence, stream, version, timestamp, data);
    }
}

/// <summary>One stored event: its global sequence, its stream and version in it, when it was committed, and its data.</summary>
public sealed record LoggedEvent(long Sequence, string StreamKey, long Version, DateTimeOffset Timestamp, object Data);

/// <summary>An event of a type this build has no mapping for, by its stored alias and JSON.</summary>
public sealed record UnknownEvent(string Type, string Json);
