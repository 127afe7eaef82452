using Marten;
using Npgsql;
using Remediation.Core.Nodes;
using Remediation.Store;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Storage;

/// <summary>
/// The batch writer's rows are Marten's rows: the same batch written through a Marten session and through the writer,
/// into two fresh schemas, compared column by column, metadata included. A column Marten fills that the writer does
/// not know fails here, and at start-up (StoreLayout).
/// </summary>
public sealed class BatchWriterRowsTests(Servers servers) : IClassFixture<Servers>
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-30T10:00:00Z");

    /// <summary>Columns that hold the same value whoever writes the row (correlation and causation: in stores from before they were switched off).</summary>
    private static readonly Dictionary<string, string[]> Same = new()
    {
        ["mt_events"] = ["stream_id", "version", "data", "type", "tenant_id", "mt_dotnet_type", "bdata", "is_archived", "correlation_id", "causation_id"],
        ["mt_streams"] = ["id", "type", "version", "tenant_id", "compacted_version", "is_archived"],
        ["mt_doc_nodestate"] = ["id", "data", "status", "mt_dotnet_type"],
    };

    /// <summary>Columns unique to each write (ids, sequence numbers, clocks): both writers must fill them.</summary>
    private static readonly Dictionary<string, string[]> Filled = new()
    {
        ["mt_events"] = ["seq_id", "id", "timestamp"],
        ["mt_streams"] = ["timestamp", "created"],
        ["mt_doc_nodestate"] = ["mt_version", "mt_last_modified"],
    };

    [Fact]
    public async Task Writes_the_rows_a_Marten_session_writes_column_for_column()
    {
        using var marten = await FreshStoreAsync();
        using var writer = await FreshStoreAsync();
        NodeWrite[] first = [Node("gpu-a", 0, Fault("gpu-a", "e1"), Fault("gpu-a", "e2")), Node("gpu-b", 0, Fault("gpu-b", "e3"), Joined("gpu-b", "e5"))];
        NodeWrite[] second =
        [
            Node("gpu-a", 2, Fault("gpu-a", "e4")) with { State = NodeState.New("gpu-a") with { Version = 3, Status = NodeStatus.Remediating } },
            Node("gpu-b", 2, new NodeLeftStorm("gpu-b", "storm-xid-79-x", "xid:79:PCI:0000:3b:00", 80, T0, T0.AddMinutes(2), "rule:storm")),
        ];
        foreach (var batch in new[] { first, second })
        {
            await WriteThroughMartenAsync(marten, batch);
            await WriteThroughBatchWriterAsync(writer, batch);
        }

        foreach (var table in Same.Keys)
        {
            var expected = await RowsAsync(marten, table);
            var actual = await RowsAsync(writer, table);
            Assert.True(expected.Count == actual.Count, $"{table}: Marten wrote {expected.Count} rows, the batch writer {actual.Count}");
            var columns = expected[0].Keys.ToList();
            var unclassified = columns.Except(Same[table]).Except(Filled[table]).ToList();
            Assert.True(unclassified.Count == 0, $"{table} has columns this test does not know, which the writer may not fill as Marten does: {string.Join(", ", unclassified)}");
            for (var i = 0; i < expected.Count; i++)
            {
                foreach (var column in columns.Intersect(Same[table]))
                    Assert.True(Equals(expected[i][column], actual[i][column]),
                        $"{table} row {i} column {column}: Marten wrote '{expected[i][column]}', the batch writer '{actual[i][column]}'");
                foreach (var column in columns.Intersect(Filled[table]))
                    Assert.True(actual[i][column] is not null, $"{table} row {i} column {column}: Marten filled it ('{expected[i][column]}'), the batch writer left it empty");
            }
        }
    }

    [Fact]
    public async Task The_layout_check_passes_a_fresh_store_and_names_a_column_the_writer_does_not_know()
    {
        using var store = await FreshStoreAsync();
        Assert.Empty(await StoreLayout.ProblemsAsync(store, CancellationToken.None));

        await ExecuteAsync(store, $"alter table {store.Options.DatabaseSchemaName}.mt_events add column headers jsonb");

        var problem = Assert.Single(await StoreLayout.ProblemsAsync(store, CancellationToken.None));
        Assert.Contains("mt_events.headers", problem);
    }

    private async Task<DocumentStore> FreshStoreAsync()
    {
        var store = DocumentStore.For(o => o.ConfigureNodes(servers.Postgres, $"rows{Guid.NewGuid():N}"[..20]));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }

    private static async Task WriteThroughMartenAsync(DocumentStore store, NodeWrite[] batch)
    {
        await using var session = store.LightweightSession();
        foreach (var node in batch)
        {
            if (node.LoadedVersion == 0) session.Events.StartStream(node.State.Id, node.Events);
            else session.Events.Append(node.State.Id, node.LoadedVersion + node.Events.Count, node.Events);
            session.Store(node.State);
        }
        await session.SaveChangesAsync();
    }

    private static async Task WriteThroughBatchWriterAsync(DocumentStore store, NodeWrite[] batch)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await new BatchWriter(store).WriteAsync(connection, batch, DateTimeOffset.UtcNow, CancellationToken.None);
        await transaction.CommitAsync();
    }

    /// <summary>Every column of every row, in the order the rows were written; jsonb as PostgreSQL normalises it.</summary>
    private static async Task<List<Dictionary<string, object?>>> RowsAsync(DocumentStore store, string table)
    {
        var order = table switch { "mt_events" => "stream_id, version", _ => "id" };
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand($"select * from {store.Options.DatabaseSchemaName}.{table} order by {order}", connection);
        await using var reader = await read.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : Text(reader.GetValue(i))));
        return rows;
    }

    private static object Text(object value) => value is byte[] bytes ? Convert.ToHexString(bytes) : value;

    private static async Task ExecuteAsync(DocumentStore store, string sql)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static NodeWrite Node(string id, long loadedVersion, params object[] events) =>
        new(NodeState.New(id) with { Version = loadedVersion + events.Length }, loadedVersion, events);

    /// <summary>The storm events with the fault the storm took the node on: type names and JSON as Marten writes them.</summary>
    private static NodeJoinedStorm Joined(string node, string eventId) =>
        new(node, "storm-xid-79-x", "Xid 79 on 12 nodes", false, eventId, "xid", 79, "PCI:0000:3b:00", "NVRM: Xid 79", "xid:79:PCI:0000:3b:00",
            $"inc-{node}-1", true, true, T0, T0, "agent:test");

    private static FaultReported Fault(string node, string eventId) =>
        new(node, eventId, "xid", 79, "PCI:0000:3b:00", "NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=python", "xid:79:PCI:0000:3b:00",
            null, "test", T0, T0, "agent:test");
}
