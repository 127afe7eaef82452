using Marten;
using Npgsql;
using NpgsqlTypes;
using Remediation.Core.Nodes;

namespace Remediation.Store;

/// <summary>
/// Writes one batch's events, stream versions and node-status documents in four statements, however many nodes the
/// batch holds. Marten writes a statement per event, per stream and per document, so a batch of 500 nodes was
/// about 2,000 statements and the commit's cost grew with the nodes in it. The rows are the ones Marten writes
/// (same tables, columns, type names and JSON), so Marten reads them back unchanged: timelines, LoadAsync, replays.
/// </summary>
public sealed class BatchWriter
{
    private const string Tenant = "*DEFAULT*";
    private readonly StoreOptions _options;
    private readonly ISerializer _serializer;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (string Alias, string DotNet)> _types = new();
    private readonly string _newStreams, _advanceStreams, _events, _documents;

    public BatchWriter(IDocumentStore store)
    {
        _options = (StoreOptions)store.Options;
        _serializer = _options.Serializer();
        var s = store.Options.DatabaseSchemaName;
        _newStreams = $"insert into {s}.mt_streams (id, type, version, tenant_id) select id, null, version, '{Tenant}' from unnest($1::varchar[], $2::bigint[]) as v(id, version)";
        // The expected version: a stream another writer moved on is not updated, and the batch fails as a whole.
        _advanceStreams = $"update {s}.mt_streams as s set version = v.version, timestamp = now() "
            + "from unnest($1::varchar[], $2::bigint[], $3::bigint[]) as v(id, expected, version) where s.id = v.id and s.version = v.expected";
        _events = $"insert into {s}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type) "
            + $"select nextval('{s}.mt_events_sequence'), e.id, e.stream_id, e.version, e.data, e.type, $7, '{Tenant}', e.dotnet "
            + "from unnest($1::uuid[], $2::varchar[], $3::bigint[], $4::jsonb[], $5::varchar[], $6::varchar[]) with ordinality as e(id, stream_id, version, data, type, dotnet, n) order by e.n";
        // status is Marten's duplicated column (MartenConfiguration), taken from the JSON so the two cannot differ.
        _documents = $"insert into {s}.mt_doc_nodestate (id, data, status, mt_version, mt_dotnet_type, mt_last_modified) "
            + $"select d.id, d.data, d.data->>'status', d.version, '{typeof(NodeState).FullName}', transaction_timestamp() from unnest($1::varchar[], $2::jsonb[], $3::uuid[]) as d(id, data, version) "
            + "on conflict (id) do update set data = excluded.data, status = excluded.status, mt_version = excluded.mt_version, mt_dotnet_type = excluded.mt_dotnet_type, mt_last_modified = excluded.mt_last_modified";
    }

    /// <summary>
    /// Within <paramref name="connection"/>'s open transaction: appends each node's events after the version its
    /// state was loaded at and stores its new state. Throws when another writer moved one of the streams first.
    /// </summary>
    public async Task WriteAsync(NpgsqlConnection connection, IReadOnlyList<NodeWrite> nodes, DateTimeOffset now, CancellationToken ct)
    {
        var serializer = _serializer;
        var fresh = nodes.Where(n => n.LoadedVersion == 0).ToList();
        var moving = nodes.Where(n => n.LoadedVersion > 0).ToList();
        var events = nodes.SelectMany(n => n.Events.Select((e, i) => (Node: n, Event: e, Version: n.LoadedVersion + i + 1))).ToList();

        await using var batch = new NpgsqlBatch(connection);
        if (fresh.Count > 0)
            batch.BatchCommands.Add(Command(_newStreams, Text(fresh.Select(n => n.State.Id)), Bigint(fresh.Select(n => n.State.Version))));
        if (moving.Count > 0)
            batch.BatchCommands.Add(Command(_advanceStreams, Text(moving.Select(n => n.State.Id)),
                Bigint(moving.Select(n => n.LoadedVersion)), Bigint(moving.Select(n => n.State.Version))));
        batch.BatchCommands.Add(Command(_events,
            new NpgsqlParameter { Value = events.Select(_ => Guid.CreateVersion7()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid },
            Text(events.Select(e => e.Node.State.Id)),
            Bigint(events.Select(e => e.Version)),
            Json(events.Select(e => serializer.ToJson(e.Event))),
            Text(events.Select(e => TypeNames(e.Event.GetType()).Alias)),
            Text(events.Select(e => TypeNames(e.Event.GetType()).DotNet)),
            new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz }));
        batch.BatchCommands.Add(Command(_documents, Text(nodes.Select(n => n.State.Id)), Json(nodes.Select(n => serializer.ToJson(n.State))),
            new NpgsqlParameter { Value = nodes.Select(_ => Guid.NewGuid()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid }));
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A version or a new stream that another writer took first: the same conflict as a stream moved on.
            throw new StreamMovedException($"a node stream was written by someone else since it was read ({e.ConstraintName})", e);
        }

        if (moving.Count > 0 && batch.BatchCommands[fresh.Count > 0 ? 1 : 0].RecordsAffected != moving.Count)
            throw new StreamMovedException($"{moving.Count - batch.BatchCommands[fresh.Count > 0 ? 1 : 0].RecordsAffected} of {moving.Count} node streams were written by someone else since they were read");
    }

    /// <summary>Marten's names for an event type, looked up once per type rather than once per event.</summary>
    private (string Alias, string DotNet) TypeNames(Type type) => _types.GetOrAdd(type, t =>
    {
        var mapping = ((Marten.Events.EventGraph)_options.Events).EventMappingFor(t);
        return (mapping.EventTypeName, mapping.DotNetTypeName);
    });

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(IEnumerable<string> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar };

    private static NpgsqlParameter Bigint(IEnumerable<long> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };

    private static NpgsqlParameter Json(IEnumerable<string> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb };
}

/// <summary>One node's part of a batch: the events decided for it on top of the version its state was loaded at.</summary>
public sealed record NodeWrite(NodeState State, long LoadedVersion, IReadOnlyList<object> Events);

/// <summary>Another writer appended to a node's stream since it was read; the batch is decided again from the store.</summary>
public sealed class StreamMovedException(string message, Exception? inner = null) : Exception(message, inner);
