using Marten;
using Remediation.Core.Nodes;
using Remediation.Store;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Storage;

/// <summary>The batch writer writes what Marten would, so Marten reads it back; and it never forks a stream.</summary>
public sealed class BatchWriterTests(Servers servers) : IClassFixture<Servers>, IAsyncLifetime
{
    private readonly DocumentStore _store = DocumentStore.For(o => o.ConfigureNodes(servers.Postgres, $"batch{Guid.NewGuid():N}"[..20]));

    public async Task InitializeAsync() => await _store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Marten_reads_back_the_events_and_states_it_wrote_for_new_and_existing_streams()
    {
        await WriteAsync(new NodeWrite(NodeState.New("gpu-a") with { Version = 2 }, 0, [Fault("gpu-a", "e1"), Fault("gpu-a", "e2")]),
            new NodeWrite(NodeState.New("gpu-b") with { Version = 1 }, 0, [Fault("gpu-b", "e3")]));
        await WriteAsync(new NodeWrite(NodeState.New("gpu-a") with { Version = 3, Status = NodeStatus.Remediating }, 2, [Fault("gpu-a", "e4")]));

        await using var query = _store.QuerySession();
        var stream = await query.Events.FetchStreamAsync("gpu-a");
        Assert.Equal([1L, 2L, 3L], stream.Select(e => e.Version));
        Assert.Equal(["e1", "e2", "e4"], stream.Select(e => ((FaultReported)e.Data).EventId));
        Assert.All(stream, e => Assert.Equal("fault_reported", e.EventTypeName));
        Assert.True(stream[0].Sequence < stream[1].Sequence && stream[1].Sequence < stream[2].Sequence);
        Assert.Equal(3, (await query.Events.FetchStreamStateAsync("gpu-a"))!.Version);
        var state = await query.LoadAsync<NodeState>("gpu-a");
        Assert.Equal(NodeStatus.Remediating, state!.Status);
        Assert.Equal(1, await query.Query<NodeState>().CountAsync(n => n.Status == NodeStatus.Healthy));
        Assert.Equal(["Remediating", "Healthy"], await StatusColumnAsync("gpu-a", "gpu-b"));

        // Marten's own append, with its expected version (the stream's after the append), goes on where the batch writer stopped.
        await using var session = _store.LightweightSession();
        session.Events.Append("gpu-a", 4, Fault("gpu-a", "e5"));
        await session.SaveChangesAsync();
        Assert.Equal(4, (await query.Events.FetchStreamStateAsync("gpu-a"))!.Version);
    }

    [Fact]
    public async Task A_batch_decided_from_a_stale_version_fails_whole_and_writes_nothing()
    {
        await WriteAsync(new NodeWrite(NodeState.New("gpu-c") with { Version = 1 }, 0, [Fault("gpu-c", "e1")]),
            new NodeWrite(NodeState.New("gpu-d") with { Version = 1 }, 0, [Fault("gpu-d", "e2")]));
        await WriteAsync(new NodeWrite(NodeState.New("gpu-c") with { Version = 2 }, 1, [Fault("gpu-c", "e3")]));

        // gpu-c moved to version 2 meanwhile: this batch was decided from version 1.
        var stale = WriteAsync(new NodeWrite(NodeState.New("gpu-d") with { Version = 2 }, 1, [Fault("gpu-d", "e4")]),
            new NodeWrite(NodeState.New("gpu-c") with { Version = 2 }, 1, [Fault("gpu-c", "e5")]));
        await Assert.ThrowsAsync<StreamMovedException>(() => stale);
        // A second writer's new stream for a node that already has one is refused too.
        await Assert.ThrowsAsync<StreamMovedException>(() => WriteAsync(new NodeWrite(NodeState.New("gpu-d") with { Version = 1 }, 0, [Fault("gpu-d", "e6")])));

        await using var query = _store.QuerySession();
        Assert.Equal(["e2"], (await query.Events.FetchStreamAsync("gpu-d")).Select(e => ((FaultReported)e.Data).EventId));
        Assert.Equal(["e1", "e3"], (await query.Events.FetchStreamAsync("gpu-c")).Select(e => ((FaultReported)e.Data).EventId));
    }

    [Fact]
    public async Task A_store_from_before_the_status_column_gets_it_filled_from_the_documents()
    {
        var schema = $"old{Guid.NewGuid():N}"[..20];
        using (var before = DocumentStore.For(o =>
        {
            o.Connection(servers.Postgres);
            o.DatabaseSchemaName = schema;
            o.UseSystemTextJsonForSerialization(Weasel.Core.EnumStorage.AsString, Weasel.Core.Casing.CamelCase);
            o.Schema.For<NodeState>().Identity(x => x.Id).Index(x => x.Status);
        }))
        {
            await using var session = before.LightweightSession();
            session.Store(NodeState.New("gpu-old") with { Status = NodeStatus.Cordoned });
            await session.SaveChangesAsync();
        }

        using var after = DocumentStore.For(o => o.ConfigureNodes(servers.Postgres, schema));
        await after.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        await using var query = after.QuerySession();
        Assert.Equal(1, await query.Query<NodeState>().CountAsync(n => n.Status == NodeStatus.Cordoned));
    }

    private async Task<List<string?>> StatusColumnAsync(params string[] ids)
    {
        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        var statuses = new List<string?>();
        foreach (var id in ids)
        {
            await using var read = new Npgsql.NpgsqlCommand($"select status from {_store.Options.DatabaseSchemaName}.mt_doc_nodestate where id = $1", connection)
                { Parameters = { new() { Value = id } } };
            statuses.Add((string?)await read.ExecuteScalarAsync());
        }
        return statuses;
    }

    private async Task WriteAsync(params NodeWrite[] nodes)
    {
        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await new BatchWriter(_store).WriteAsync(connection, nodes, DateTimeOffset.UtcNow, CancellationToken.None);
        await transaction.CommitAsync();
    }

    private static FaultReported Fault(string node, string eventId) =>
        new(node, eventId, "xid", 79, "PCI:0000:3b:00", "NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=python", "xid:79:PCI:0000:3b:00",
            null, "test", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "agent:test");
}
