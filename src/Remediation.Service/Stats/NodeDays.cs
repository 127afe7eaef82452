using Npgsql;
using NpgsqlTypes;

namespace Remediation.Service.Stats;

/// <summary>
/// Incidents per node and GPU per day, the lemons' source. One row per node, GPU and month holds the month's running
/// total (<c>through[d]</c>: incidents closed from the 1st through day d), so any run of whole days costs one
/// subtraction per row and a month's question reads a row or two per GPU instead of one per GPU per day: on a fleet
/// whose every GPU fails daily that is 20,000 rows for 30 days, not 310,000. Device '' stands for no GPU named.
/// </summary>
public static class NodeDays
{
    private const int Days = 31;

    public static string Create(string table) => $"""
        create table if not exists {table} (
          node_id varchar not null, device varchar not null, month date not null, through int[] not null,
          primary key (node_id, device, month));
        """;

    /// <summary>The month's running total of incidents closed on each day of <paramref name="closed"/>.</summary>
    public static int[] Through(IEnumerable<DateOnly> closed)
    {
        var through = new int[Days];
        foreach (var day in closed)
            for (var d = day.Day - 1; d < Days; d++) through[d]++;
        return through;
    }

    /// <summary>Adds incidents counted for the first time to their months' totals, within the caller's transaction.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, string table, IReadOnlyCollection<IncidentClosed> incidents, CancellationToken ct)
    {
        var rows = incidents.GroupBy(i => (i.NodeId, Device: i.Device ?? "", Month: Month(DateOnly.FromDateTime(i.ClosedAt.UtcDateTime))))
            .Select(g => (g.Key, Through: Through(g.Select(i => DateOnly.FromDateTime(i.ClosedAt.UtcDateTime))))).ToList();
        if (rows.Count == 0) return;
        await using var upsert = new NpgsqlCommand($"""
            insert into {table} (node_id, device, month, through)
            select r.node_id, r.device, r.month, $4[((r.n - 1) * {Days} + 1)::int : (r.n * {Days})::int]
            from unnest($1::varchar[], $2::varchar[], $3::date[]) with ordinality as r(node_id, device, month, n)
            on conflict (node_id, device, month) do update
              set through = array(select a + b from unnest({table}.through, excluded.through) with ordinality as t(a, b, d) order by d)
            """, connection);
        upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.NodeId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Device).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Month).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        upsert.Parameters.Add(new NpgsqlParameter { Value = rows.SelectMany(r => r.Through).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        await upsert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The 20 node/GPU pairs with the most incidents closed from day <paramref name="from"/> through <paramref name="to"/>, more than one each.</summary>
    public static async Task<List<Lemon>> LemonsAsync(NpgsqlConnection connection, string table, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var read = new NpgsqlCommand($"""
            select node_id, nullif(device, ''), incidents from (
              select node_id, device,
                sum(through[case when month = $2 then $4 else {Days} end] - coalesce(through[case when month = $1 then $3 - 1 end], 0))::int as incidents
              from {table} where month >= $1 and month <= $2 group by node_id, device) counted
            where incidents > 1 order by incidents desc, node_id, device limit 20
            """, connection)
        {
            Parameters =
            {
                new() { Value = Month(from), NpgsqlDbType = NpgsqlDbType.Date }, new() { Value = Month(to), NpgsqlDbType = NpgsqlDbType.Date },
                new() { Value = from.Day, NpgsqlDbType = NpgsqlDbType.Integer }, new() { Value = to.Day, NpgsqlDbType = NpgsqlDbType.Integer },
            },
        };
        await using var rows = await read.ExecuteReaderAsync(ct);
        var lemons = new List<Lemon>();
        while (await rows.ReadAsync(ct)) lemons.Add(new Lemon(rows.GetString(0), rows.IsDBNull(1) ? null : rows.GetString(1), rows.GetInt32(2)));
        return lemons;
    }

    private static DateOnly Month(DateOnly day) => new(day.Year, day.Month, 1);
}
