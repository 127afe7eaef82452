using Npgsql;

namespace Remediation.Service.Stats;

/// <summary>
/// Answers a statistics question from the read model. A period of up to two days is counted exactly from the incident
/// rows; a longer one from the daily counts (outcomes, and nodes and GPUs for the lemons), in whole UTC days, so a
/// month never reads every incident. Either way the percentiles come from the same log-scale buckets
/// (<see cref="RecoveryBuckets"/>).
/// </summary>
public sealed class StatsReader(StatsTables tables)
{
    public static readonly TimeSpan ExactWithin = TimeSpan.FromDays(2);

    private sealed record Count(string Runbook, string Fault, string Outcome, bool Escalated, short Bucket, int Incidents);

    public async Task<StatsReport> ReadAsync(NpgsqlConnection connection, DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        var daily = until - since > ExactWithin;
        if (daily) since = new DateTimeOffset(since.UtcDateTime.Date, TimeSpan.Zero);
        var counts = await CountsAsync(connection, daily ? DailyCounts : ExactCounts, since, until, ct);
        var runbooks = counts.GroupBy(c => c.Runbook).Select(g => Outcomes(g, (n, p50, p90) => new RunbookOutcomes(g.Key, n[0], n[1], n[2], n[3], n[4], p50, p90)))
            .OrderByDescending(r => r.Incidents).ThenBy(r => r.Runbook).ToList();
        var faults = counts.GroupBy(c => c.Fault).Select(g => Outcomes(g, (n, p50, p90) => new FaultOutcomes(g.Key, n[0], n[1], n[2], n[3], n[4], p50, p90)))
            .OrderByDescending(r => r.Incidents).ThenBy(r => r.Fault).ToList();
        var days = (await DaysAsync(connection, daily ? DailyDays : ExactDays, since, until, ct)).OrderBy(d => d.Day).ThenBy(d => d.Fault).ToList();
        return new StatsReport(since, until, runbooks, faults, await FailingStepsAsync(connection, since, until, ct), await LemonsAsync(connection, since, until, ct), days);
    }

    private static T Outcomes<T>(IEnumerable<Count> counts, Func<int[], double?, double?, T> row)
    {
        var list = counts.ToList();
        int Sum(Func<Count, bool> which) => list.Where(which).Sum(c => c.Incidents);
        var histogram = list.GroupBy(c => c.Bucket).ToDictionary(g => g.Key, g => g.Sum(c => c.Incidents));
        return row(
            [Sum(_ => true), Sum(c => c.Outcome == StatsFold.FixedFirstRung), Sum(c => c.Escalated),
             Sum(c => c.Outcome == StatsFold.HandedToHuman), Sum(c => c.Outcome == StatsFold.Rma)],
            RecoveryBuckets.Percentile(histogram, 0.5), RecoveryBuckets.Percentile(histogram, 0.9));
    }

    // Summed over the period's days in PostgreSQL: a month of the daily table is tens of thousands of rows, its outcomes
    // by runbook and fault a few thousand.
    private string ExactCounts => $"""
        select runbook, fault, outcome, escalations > 0,
          least(127, floor(4 * log(2, greatest(1, extract(epoch from closed_at - opened_at))::numeric)))::smallint, count(*)::int
        from {tables.Incidents} where closed_at >= $1 and closed_at < $2 group by 1, 2, 3, 4, 5
        """;

    private string DailyCounts => $"""
        select runbook, fault, outcome, escalated, bucket, sum(incidents)::int from {tables.Daily}
        where day >= $1::date and day <= $2::date group by 1, 2, 3, 4, 5
        """;

    private string ExactDays => $"""
        select (closed_at at time zone 'UTC')::date, fault, count(*)::int from {tables.Incidents} where closed_at >= $1 and closed_at < $2 group by 1, 2
        """;

    private string DailyDays => $"""
        select day, fault, sum(incidents)::int from {tables.Daily} where day >= $1::date and day <= $2::date group by 1, 2
        """;

    private static async Task<List<Count>> CountsAsync(NpgsqlConnection connection, string sql, DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        await using var read = Command(connection, sql, since, until);
        await using var rows = await read.ExecuteReaderAsync(ct);
        var counts = new List<Count>();
        while (await rows.ReadAsync(ct))
            counts.Add(new Count(rows.GetString(0), rows.GetString(1), rows.GetString(2), rows.GetBoolean(3), rows.GetInt16(4), rows.GetInt32(5)));
        return counts;
    }

    private static async Task<List<DayCount>> DaysAsync(NpgsqlConnection connection, string sql, DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        await using var read = Command(connection, sql, since, until);
        await using var rows = await read.ExecuteReaderAsync(ct);
        var days = new List<DayCount>();
        while (await rows.ReadAsync(ct)) days.Add(new DayCount(DateOnly.FromDateTime(rows.GetDateTime(0)), rows.GetString(1), rows.GetInt32(2)));
        return days;
    }

    private async Task<List<FailingStep>> FailingStepsAsync(NpgsqlConnection connection, DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        await using var read = Command(connection, $"""
            select runbook, step, action, sum(failed)::int, sum(timed_out)::int from {tables.Steps}
            where day >= $1::date and day <= $2::date group by runbook, step, action order by sum(failed) + sum(timed_out) desc, runbook, step limit 20
            """, since, until);
        await using var rows = await read.ExecuteReaderAsync(ct);
        var steps = new List<FailingStep>();
        while (await rows.ReadAsync(ct)) steps.Add(new FailingStep(rows.GetString(0), rows.GetString(1), rows.GetString(2), rows.GetInt32(3), rows.GetInt32(4)));
        return steps;
    }

    private async Task<List<Lemon>> LemonsAsync(NpgsqlConnection connection, DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        if (until - since > ExactWithin)
            return await NodeDays.LemonsAsync(connection, tables.NodeDays, DateOnly.FromDateTime(since.UtcDateTime), DateOnly.FromDateTime(until.UtcDateTime), ct);
        await using var read = Command(connection, $"""
            select node_id, device, count(*)::int from {tables.Incidents} where closed_at >= $1 and closed_at < $2
            group by node_id, device having count(*) > 1 order by count(*) desc, node_id limit 20
            """, since, until);
        await using var rows = await read.ExecuteReaderAsync(ct);
        var lemons = new List<Lemon>();
        while (await rows.ReadAsync(ct)) lemons.Add(new Lemon(rows.GetString(0), rows.IsDBNull(1) ? null : rows.GetString(1), rows.GetInt32(2)));
        return lemons;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, DateTimeOffset since, DateTimeOffset until) =>
        new(sql, connection) { Parameters = { new() { Value = since.UtcDateTime }, new() { Value = until.UtcDateTime } } };
}
