using System.Diagnostics;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Remediation.Core.Nodes;
using Remediation.Store;

namespace Remediation.Bench.Limits;

/// <summary>One commit of <c>Rows</c> event rows, median milliseconds by the array insert and by binary COPY.</summary>
public sealed record CommitCost(int Rows, double ArrayMs, double CopyMs)
{
    public double ArrayEventsPerSecond => Rows / ArrayMs * 1000;
    public double CopyEventsPerSecond => Rows / CopyMs * 1000;
    public double CopySpeedup => ArrayMs / CopyMs;
}

/// <summary>
/// What one PostgreSQL commit of N event rows costs here: rows of mt_events' shape (a FaultReported's JSON, Marten's
/// columns, one row per stream) written into a fresh Marten event store by BatchWriter's statement (one insert over
/// unnested arrays, seq_id from the sequence) and by binary COPY (the seq_ids taken from the sequence first, in one
/// statement), each in a transaction of its own, the two in turn on one open connection. Events only: the stream
/// versions and node documents BatchWriter also writes are left out.
/// </summary>
public static class CommitCosts
{
    public static readonly int[] Sizes = [1, 100, 1000, 5000];

    public static async Task<IReadOnlyList<CommitCost>> MeasureAsync(BenchContext c, string schema, CancellationToken ct)
    {
        using var store = DocumentStore.For(o => o.ConfigureNodes(c.Postgres, schema));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var mapping = ((Marten.Events.EventGraph)store.Options.Events).EventMappingFor(typeof(FaultReported));
        var rows = new Rows(schema, mapping.EventTypeName, mapping.DotNetTypeName, Sizes.Max(),
            i => store.Options.Serializer().ToJson(Fault($"lim-{i:00000}")));
        await using var db = new NpgsqlConnection(c.Postgres);
        await db.OpenAsync(ct);
        await using (var streams = new NpgsqlCommand($"insert into {schema}.mt_streams (id, version) select 'lim-' || lpad(n::text, 5, '0'), 0 from generate_series(0, {rows.Count - 1}) n", db))
            await streams.ExecuteNonQueryAsync(ct);

        var costs = new List<CommitCost>();
        foreach (var n in Sizes)
        {
            var rounds = n switch { 1 => 40, 100 => 20, 1000 => 10, _ => 6 };
            var (array, copy) = (new List<double>(), new List<double>());
            for (var round = 0; round < 2 * rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                await using (var tx = await db.BeginTransactionAsync(ct))
                {
                    if (round % 2 == 0) await rows.InsertArraysAsync(db, n, ct);
                    else await rows.CopyAsync(db, n, ct);
                    await tx.CommitAsync(ct);
                }
                (round % 2 == 0 ? array : copy).Add(clock.Elapsed.TotalMilliseconds);
            }
            // The first of each warms its statement and the pages it touches.
            costs.Add(new CommitCost(n, Median(array.Skip(1)), Median(copy.Skip(1))));
            await c.SayAsync($"limits: commit of {n} events: array insert {costs[^1].ArrayMs:F2} ms, binary COPY {costs[^1].CopyMs:F2} ms ({costs[^1].CopySpeedup:F2}x)");
        }
        return costs;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static FaultReported Fault(string node) =>
        new(node, Guid.NewGuid().ToString(), "xid", 13, "PCI:0000:3b:00", "NVRM: Xid (PCI:0000:3b:00): 13, pid=1234, name=python, Graphics SM Warp Exception",
            "xid:13:PCI:0000:3b:00", null, "recorded", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "agent:kmsg@" + node);

    /// <summary>The rows: one stream each, the next version of that stream every time it is written.</summary>
    private sealed class Rows(string schema, string type, string dotnet, int count, Func<int, string> json)
    {
        private const string Tenant = "*DEFAULT*";
        private readonly string[] _streams = Enumerable.Range(0, count).Select(i => $"lim-{i:00000}").ToArray();
        private readonly string[] _json = Enumerable.Range(0, count).Select(json).ToArray();
        private readonly long[] _versions = new long[count];

        public int Count => _streams.Length;

        // BatchWriter's events statement.
        public async Task InsertArraysAsync(NpgsqlConnection db, int n, CancellationToken ct)
        {
            var versions = Next(n);
            await using var insert = new NpgsqlCommand($"insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type) "
                + $"select nextval('{schema}.mt_events_sequence'), e.id, e.stream_id, e.version, e.data, e.type, $7, '{Tenant}', e.dotnet "
                + "from unnest($1::uuid[], $2::varchar[], $3::bigint[], $4::jsonb[], $5::varchar[], $6::varchar[]) with ordinality as e(id, stream_id, version, data, type, dotnet, n) order by e.n", db);
            insert.Parameters.Add(new() { Value = Enumerable.Range(0, n).Select(_ => Guid.CreateVersion7()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            insert.Parameters.Add(new() { Value = _streams[..n], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
            insert.Parameters.Add(new() { Value = versions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            insert.Parameters.Add(new() { Value = _json[..n], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = Enumerable.Repeat(type, n).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
            insert.Parameters.Add(new() { Value = Enumerable.Repeat(dotnet, n).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
            insert.Parameters.Add(new() { Value = DateTimeOffset.UtcNow, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await insert.ExecuteNonQueryAsync(ct);
        }

        public async Task CopyAsync(NpgsqlConnection db, int n, CancellationToken ct)
        {
            var versions = Next(n);
            var seqs = new List<long>(n);
            await using (var next = new NpgsqlCommand($"select nextval('{schema}.mt_events_sequence') from generate_series(1, {n})", db))
            await using (var reader = await next.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) seqs.Add(reader.GetInt64(0));
            var now = DateTimeOffset.UtcNow;
            await using var copy = await db.BeginBinaryImportAsync(
                $"copy {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type) from stdin (format binary)", ct);
            for (var i = 0; i < n; i++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(seqs[i], NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(_streams[i], NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(versions[i], NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(_json[i], NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(type, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(Tenant, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(dotnet, NpgsqlDbType.Varchar, ct);
            }
            await copy.CompleteAsync(ct);
        }

        private long[] Next(int n) => Enumerable.Range(0, n).Select(i => ++_versions[i]).ToArray();
    }
}
