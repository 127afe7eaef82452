using Npgsql;
using NpgsqlTypes;

namespace Remediation.Service.Stats;

/// <summary>
/// The runbook statistics read model: one row per closed incident, daily counts by outcome, by node and GPU and per
/// failing step, written in the same transaction as the events they come from, so a question over a week reads
/// thousands of rows, not millions of events. Rebuildable from the streams (<see cref="StatsRebuild"/>).
/// </summary>
public sealed class StatsTables(string schema)
{
    public string Incidents => $"{schema}.stats_incidents";
    public string Steps => $"{schema}.stats_steps";
    public string Daily => $"{schema}.stats_daily";

    public string NodeDays => $"{schema}.stats_node_days";

    public async Task EnsureAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var create = new NpgsqlCommand($"""
            create table if not exists {Incidents} (
              incident_id varchar primary key, node_id varchar not null, device varchar, fault varchar not null,
              runbook varchar not null, escalations int not null, outcome varchar not null,
              opened_at timestamptz not null, closed_at timestamptz not null);
            create index if not exists stats_incidents_closed_at on {Incidents} (closed_at, node_id, device);
            create table if not exists {Daily} (
              day date not null, runbook varchar not null, fault varchar not null, outcome varchar not null, escalated boolean not null,
              bucket smallint not null, incidents int not null, primary key (day, runbook, fault, outcome, escalated, bucket));
            create table if not exists {Steps} (
              day date not null, runbook varchar not null, step varchar not null, action varchar not null,
              failed int not null, timed_out int not null, primary key (day, runbook, step, action));
            {Stats.NodeDays.Create(NodeDays)}
            """, connection);
        await create.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Within the caller's transaction. Incidents already counted (a rebuild, a retried batch) are kept as they are.</summary>
    public async Task WriteAsync(NpgsqlConnection connection, IReadOnlyCollection<object> facts, CancellationToken ct)
    {
        var incidents = facts.OfType<IncidentClosed>().ToList();
        var steps = facts.OfType<StepFaulted>().GroupBy(s => (s.Day, s.Runbook, s.Step, s.Action))
            .Select(g => (g.Key, Failed: g.Count(s => !s.TimedOut), TimedOut: g.Count(s => s.TimedOut))).ToList();
        if (incidents.Count > 0)
        {
            await using var insert = new NpgsqlCommand($"""
                insert into {Incidents} select * from unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[],
                  $6::int[], $7::varchar[], $8::timestamptz[], $9::timestamptz[]) on conflict (incident_id) do nothing returning incident_id
                """, connection);
            insert.Parameters.Add(Array(incidents.Select(i => i.IncidentId)));
            insert.Parameters.Add(Array(incidents.Select(i => i.NodeId)));
            insert.Parameters.Add(Array(incidents.Select(i => i.Device)));
            insert.Parameters.Add(Array(incidents.Select(i => i.Fault)));
            insert.Parameters.Add(Array(incidents.Select(i => i.Runbook)));
            insert.Parameters.Add(new NpgsqlParameter { Value = incidents.Select(i => i.Escalations).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            insert.Parameters.Add(Array(incidents.Select(i => i.Outcome)));
            insert.Parameters.Add(Times(incidents.Select(i => i.OpenedAt)));
            insert.Parameters.Add(Times(incidents.Select(i => i.ClosedAt)));
            // Only incidents counted for the first time reach the daily histogram, so a retried batch or a second
            // delivery of a close cannot count one twice.
            await using (var reader = await insert.ExecuteReaderAsync(ct))
            {
                var fresh = new HashSet<string>();
                while (await reader.ReadAsync(ct)) fresh.Add(reader.GetString(0));
                incidents = incidents.Where(i => fresh.Contains(i.IncidentId)).ToList();
            }
            await WriteDailyAsync(connection, incidents, ct);
            await Stats.NodeDays.WriteAsync(connection, NodeDays, incidents, ct);
        }
        if (steps.Count > 0)
        {
            await using var upsert = new NpgsqlCommand($"""
                insert into {Steps} select * from unnest($1::date[], $2::varchar[], $3::varchar[], $4::varchar[], $5::int[], $6::int[])
                on conflict (day, runbook, step, action) do update
                  set failed = {Steps}.failed + excluded.failed, timed_out = {Steps}.timed_out + excluded.timed_out
                """, connection);
            upsert.Parameters.Add(new NpgsqlParameter { Value = steps.Select(s => s.Key.Day).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
            upsert.Parameters.Add(Array(steps.Select(s => s.Key.Runbook)));
            upsert.Parameters.Add(Array(steps.Select(s => s.Key.Step)));
            upsert.Parameters.Add(Array(steps.Select(s => s.Key.Action)));
            upsert.Parameters.Add(new NpgsqlParameter { Value = steps.Select(s => s.Failed).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            upsert.Parameters.Add(new NpgsqlParameter { Value = steps.Select(s => s.TimedOut).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            await upsert.ExecuteNonQueryAsync(ct);
        }
    }

    private async Task WriteDailyAsync(NpgsqlConnection connection, List<IncidentClosed> incidents, CancellationToken ct)
    {
        var rows = incidents.GroupBy(i => (Day: DateOnly.FromDateTime(i.ClosedAt.UtcDateTime), i.Runbook, i.Fault, i.Outcome, Escalated: i.Escalations > 0,
            Bucket: RecoveryBuckets.Of(i.ClosedAt - i.OpenedAt))).ToList();
        if (rows.Count == 0) return;
        await using var upsert = new NpgsqlCommand($"""
            insert into {Daily} select * from unnest($1::date[], $2::varchar[], $3::varchar[], $4::varchar[], $5::boolean[], $6::smallint[], $7::int[])
            on conflict (day, runbook, fault, outcome, escalated, bucket) do update set incidents = {Daily}.incidents + excluded.incidents
            """, connection);
        upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Day).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        upsert.Parameters.Add(Array(rows.Select(r => r.Key.Runbook)));
        upsert.Parameters.Add(Array(rows.Select(r => r.Key.Fault)));
        upsert.Parameters.Add(Array(rows.Select(r => r.Key.Outcome)));
        upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Escalated).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Bucket).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Count()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        await upsert.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter Array(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar };

    private static NpgsqlParameter Times(IEnumerable<DateTimeOffset> values) =>
        new() { Value = values.Select(v => v.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };
}
