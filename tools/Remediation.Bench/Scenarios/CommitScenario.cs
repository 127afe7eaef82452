using System.Diagnostics;
using Marten;
using Remediation.Core.Nodes;
using Remediation.Store;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// The commit alone, without RabbitMQ: the same batches (every node of --nodes gets 4 FaultReported events and its
/// state) written alternately by Marten's session, as the service did before, and by the service's BatchWriter, in
/// one schema, so the ratio is measured under the same load. Marten's session is the baseline here.
/// </summary>
public static class CommitScenario
{
    private const int Rounds = 10;
    private const int EventsPerNode = 4;

    public static async Task<Figures> RunAsync(BenchContext c, CancellationToken ct)
    {
        using var store = DocumentStore.For(o => o.ConfigureNodes(c.Postgres, $"bench_{c.RunId}_commit"));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var writer = new BatchWriter(store);
        var states = Enumerable.Range(0, c.Scale.Nodes).Select(i => NodeState.New($"gpu-commit-{i:D5}")).ToList();
        var marten = new List<double>();
        var batch = new List<double>();
        await c.SayAsync($"commit: {Rounds} batches of {states.Count} nodes x {EventsPerNode} events, Marten's session and the BatchWriter in turn");
        for (var round = 0; round < Rounds; round++)
        {
            var work = states.Select(s => new NodeWrite(s with { Version = s.Version + EventsPerNode }, s.Version,
                Enumerable.Range(0, EventsPerNode).Select(_ => (object)Fault(s.Id)).ToList())).ToList();
            var clock = Stopwatch.StartNew();
            if (round % 2 == 0) await WithMartenAsync(store, work, ct);
            else await WithBatchWriterAsync(store, writer, work, ct);
            (round % 2 == 0 ? marten : batch).Add(clock.Elapsed.TotalMilliseconds);
            states = work.Select(w => w.State).ToList();
        }
        // The first round of each creates the streams; the median of the rest is an append to existing streams.
        var (m, b) = (Median(marten.Skip(1)), Median(batch.Skip(1)));
        var events = states.Count * EventsPerNode;
        await c.SayAsync($"commit: Marten {m:F0} ms ({events / m * 1000:F0} events/s), BatchWriter {b:F0} ms ({events / b * 1000:F0} events/s): {m / b:F1}x");
        return new Figures().Add("nodes", (long)states.Count).Add("events_per_batch", (long)events)
            .Add("marten_ms", m, 1).Add("batch_writer_ms", b, 1).Add("speedup", m / b, 2)
            .Add("batch_writer_events_per_second", events / b * 1000, 0);
    }

    private static async Task WithMartenAsync(IDocumentStore store, List<NodeWrite> work, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        foreach (var node in work)
        {
            if (node.LoadedVersion == 0) session.Events.StartStream(node.State.Id, node.Events);
            else session.Events.Append(node.State.Id, node.State.Version, node.Events);
            session.Store(node.State);
        }
        await session.SaveChangesAsync(ct);
    }

    private static async Task WithBatchWriterAsync(IDocumentStore store, BatchWriter writer, List<NodeWrite> work, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await writer.WriteAsync(connection, work, DateTimeOffset.UtcNow, ct);
        await transaction.CommitAsync(ct);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static FaultReported Fault(string node) =>
        new(node, Guid.NewGuid().ToString(), "xid", 13, "PCI:0000:3b:00", "NVRM: Xid (PCI:0000:3b:00): 13, pid=1234, name=python, Graphics SM Warp Exception",
            "xid:13:PCI:0000:3b:00", null, "recorded", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "agent:kmsg@" + node);
}
