using Marten;
using Npgsql;
using Remediation.Core.Nodes;

namespace Remediation.Service.Stats;

/// <summary>
/// Builds the statistics again from every node's stream, with the same fold the commit uses: after a change to what
/// is counted, or to check the read model against the events. One transaction; readers see the old numbers until it
/// commits.
/// </summary>
public sealed class StatsRebuild(IDocumentStore store, StatsTables tables)
{
    private const int Page = 10_000;

    public async Task<long> RunAsync(CancellationToken ct)
    {
        var states = new Dictionary<string, NodeState>();
        var facts = new List<object>();
        long read = 0;
        await using (var session = store.QuerySession())
        {
            long after = 0;
            while (true)
            {
                var events = await session.Events.QueryAllRawEvents().Where(e => e.Sequence > after && !e.StreamKey!.StartsWith("$"))
                    .OrderBy(e => e.Sequence).Take(Page).ToListAsync(ct);
                if (events.Count == 0) break;
                foreach (var e in events)
                {
                    var before = states.GetValueOrDefault(e.StreamKey!) ?? NodeState.New(e.StreamKey!);
                    if (StatsFold.Fact(before, e.Data) is { } fact) facts.Add(fact);
                    states[e.StreamKey!] = NodeEvolution.Evolve(before, e.Data);
                }
                read += events.Count;
                after = events[^1].Sequence;
            }
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
