using Marten;
using Npgsql;
using Remediation.Core.Nodes;
using Remediation.Store;

namespace Remediation.Service.Stats;

/// <summary>
/// Builds the statistics again from every node's stream, with the same fold the commit uses: after a change to what
/// is counted, or to check the read model against the events. One transaction; readers see the old numbers until it
/// commits.
/// </summary>
public sealed class StatsRebuild(IDocumentStore store, StoredEvents log, StatsTables tables)
{
    private const int Page = 10_000;

    public async Task<long> RunAsync(CancellationToken ct)
    {
        var states = new Dictionary<string, NodeState>();
        var facts = new List<object>();
        long read = 0;
        await foreach (var e in log.ReadAllAsync(after: 0, ct))
        {
            if (e.StreamKey.StartsWith('$')) continue;
            var before = states.GetValueOrDefault(e.StreamKey) ?? NodeState.New(e.StreamKey);
            if (StatsFold.Fact(before, e.Data) is { } fact) facts.Add(fact);
            states[e.StreamKey] = NodeEvolution.Evolve(before, e.Data);
            read++;
        }
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await tables.EnsureAsync(connection, ct);
        await using (var clear = new NpgsqlCommand($"truncate {tables.Incidents}, {tables.Steps}, {tables.Daily}, {tables.NodeDays}", connection))
            await clear.ExecuteNonQueryAsync(ct);
        foreach (var chunk in facts.Chunk(Page)) await tables.WriteAsync(connection, chunk, ct);
        await transaction.CommitAsync(ct);
        return read;
    }
}
