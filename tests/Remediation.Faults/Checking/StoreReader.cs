using System.Text.Json;
using Npgsql;

namespace Remediation.Faults.Checking;

/// <summary>Reads a scenario's Marten tables directly: what was committed is the only truth after a crash.</summary>
public sealed class StoreReader(string postgres, string schema)
{
    private static readonly string[] Types =
    [
        "fault_reported", "fault_ignored", "fault_repeated", "node_joined_storm", "storm_tallied", "step_dispatched", "step_succeeded", "step_failed",
        "step_timed_out", "step_result_ignored",
    ];

    /// <summary>Faults accounted for so far: distinct eventIds recorded or ignored, plus the repeats counted.</summary>
    public async Task<long> FaultsAccountedAsync(CancellationToken ct)
    {
        var sql = $"""
            select coalesce((select count(distinct data->>'eventId') from {schema}.mt_events where type in ('fault_reported', 'fault_ignored')), 0)
                 + coalesce((select sum((data->>'count')::int) from {schema}.mt_events where type = 'fault_repeated'), 0)
            """;
        return await ScalarAsync(sql, ct);
    }

    /// <summary>How many of these nodes have any event in their stream.</summary>
    public async Task<long> NodesWithEventsAsync(IReadOnlyList<string> nodes, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var count = new NpgsqlCommand($"select count(distinct stream_id) from {schema}.mt_events where stream_id = any(@nodes)", connection);
        count.Parameters.AddWithValue("nodes", nodes.ToArray());
        return Convert.ToInt64(await count.ExecuteScalarAsync(ct));
    }

    /// <summary>Nodes with an open incident or a step in flight.</summary>
    public Task<long> BusyNodesAsync(CancellationToken ct) =>
        ScalarAsync($"select count(*) from {schema}.mt_doc_nodestate where data->'incident' is not null and data->'incident' <> 'null'::jsonb", ct);

    /// <summary>Nodes with a step dispatched and no result committed yet: the steps in flight.</summary>
    public async Task<List<string>> StepsInFlightAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var read = new NpgsqlCommand(
            $"select id from {schema}.mt_doc_nodestate where data->'incident'->'pending' is not null and data->'incident'->'pending' <> 'null'::jsonb", connection);
        await using var rows = await read.ExecuteReaderAsync(ct);
        var nodes = new List<string>();
        while (await rows.ReadAsync(ct)) nodes.Add(rows.GetString(0));
        return nodes;
    }

    public async Task<StoreSnapshot> SnapshotAsync(CancellationToken ct)
    {
        var snapshot = new StoreSnapshot { TotalEvents = await ScalarAsync($"select count(*) from {schema}.mt_events", ct) };
        await using var connection = await OpenAsync(ct);
        await using var read = new NpgsqlCommand($"select type, data::text from {schema}.mt_events where type = any(@types) order by seq_id", connection);
        read.Parameters.AddWithValue("types", Types);
        await using var rows = await read.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            using var data = JsonDocument.Parse(rows.GetString(1));
            snapshot.Add(rows.GetString(0), data.RootElement);
        }
        return snapshot;
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(ct);
        return connection;
    }
}
