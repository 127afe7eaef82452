using Npgsql;

namespace Remediation.Service.Stats;

/// <summary>Answers a statistics question from the read model with five grouped queries over the period's rows.</summary>
public sealed class StatsReader(StatsTables tables)
{
    public async Task<StatsReport> ReadAsync(NpgsqlConnection connection, DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        var runbooks = await OutcomesAsync(connection, "runbook", since, until,
            (name, n, p50, p90) => new RunbookOutcomes(name, n[0], n[1], n[2], n[3], n[4], p50, p90), ct);
        var faults = await OutcomesAsync(connection, "fault", since, until,
            (name, n, p50, p90) => new FaultOutcomes(name, n[0], n[1], n[2], n[3], n[4], p50, p90), ct);
        var steps = new List<FailingStep>();
        await using (var read = Command(connection, $"""
            select runbook, step, action, sum(failed)::int, sum(timed_out)::int from {tables.Steps}
            where day >= $1::date and day <= $2::date group by runbook, step, action order by sum(failed) + sum(timed_out) desc, runbook, step limit 20
            """, since, until))
        await using (var rows = await read.ExecuteReaderAsync(ct))
            while (await rows.ReadAsync(ct)) steps.Add(new FailingStep(rows.GetString(0), rows.GetString(1), rows.GetString(2), rows.GetInt32(3), rows.GetInt32(4)));
        var lemons = new List<Lemon>();
        await using (var read = Command(connection, $"""
            select node_id, device, count(*)::int from {tables.Incidents} where closed_at >= $1 and closed_at < $2
            group by node_id, device having count(*) > 1 order by count(*) desc, node_id limit 20
            """, since, until))
        await using (var rows = await read.ExecuteReaderAsync(ct))
            while (await rows.ReadAsync(ct)) lemons.Add(new Lemon(rows.GetString(0), rows.IsDBNull(1) ? null : rows.GetString(1), rows.GetInt32(2)));
        var days = new List<DayCount>();
        await using (var read = Command(connection, $"""
            select (closed_at at time zone 'UTC')::date, fault, count(*)::int from {tables.Incidents} where closed_at >= $1 and closed_at < $2
            group by 1, 2 order by 1, 2
            """, since, until))
        await using (var rows = await read.ExecuteReaderAsync(ct))
            while (await rows.ReadAsync(ct)) days.Add(new DayCount(DateOnly.FromDateTime(rows.GetDateTime(0)), rows.GetString(1), rows.GetInt32(2)));
        return new StatsReport(since, until, runbooks, faults, steps, lemons, days);
    }

    private async Task<List<T>> OutcomesAsync<T>(NpgsqlConnection connection, string by, DateTimeOffset since, DateTimeOffset until,
        Func<string, int[], double?, double?, T> row, CancellationToken ct)
    {
        await using var read = Command(connection, $"""
            select {by}, count(*)::int,
              count(*) filter (where outcome = '{StatsFold.FixedFirstRung}')::int,
              count(*) filter (where escalations > 0)::int,
              count(*) filter (where outcome = '{StatsFold.HandedToHuman}')::int,
              count(*) filter (where outcome = '{StatsFold.Rma}')::int,
              percentile_cont(0.5) within group (order by extract(epoch from closed_at - opened_at)::float8),
              percentile_cont(0.9) within group (order by extract(epoch from closed_at - opened_at)::float8)
            from {tables.Incidents} where closed_at >= $1 and closed_at < $2 group by {by} order by count(*) desc, {by}
            """, since, until);
        await using var rows = await read.ExecuteReaderAsync(ct);
        var result = new List<T>();
        while (await rows.ReadAsync(ct))
            result.Add(row(rows.GetString(0), [rows.GetInt32(1), rows.GetInt32(2), rows.GetInt32(3), rows.GetInt32(4), rows.GetInt32(5)],
                rows.IsDBNull(6) ? null : Math.Round(rows.GetDouble(6), 3), rows.IsDBNull(7) ? null : Math.Round(rows.GetDouble(7), 3)));
        return result;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, DateTimeOffset since, DateTimeOffset until) =>
        new(sql, connection) { Parameters = { new() { Value = since.UtcDateTime }, new() { Value = until.UtcDateTime } } };
}
