using Npgsql;
using Remediation.Service.Stats;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Stats;

/// <summary>The lemons of a period longer than two days, read from the per-node-and-GPU month totals the commit keeps.</summary>
public sealed class LemonTests(Servers servers) : IClassFixture<Servers>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 15, 0, 0, TimeSpan.Zero);
    private readonly string _schema = $"lemons{Guid.NewGuid():N}"[..20];
    private StatsTables _tables = null!;
    private NpgsqlConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _connection = new NpgsqlConnection(servers.Postgres);
        await _connection.OpenAsync();
        await using var create = new NpgsqlCommand($"create schema {_schema}", _connection);
        await create.ExecuteNonQueryAsync();
        _tables = new StatsTables(_schema);
        await _tables.EnsureAsync(_connection, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task A_week_and_a_month_across_a_month_end_count_each_gpu_once_per_incident_closed_in_their_days()
    {
        await WriteAsync(
            Closed("inc-1", "gpu-a", "PCI:1", Now.AddHours(-1)), Closed("inc-2", "gpu-a", "PCI:1", Now.AddDays(-3)),
            Closed("inc-3", "gpu-a", "PCI:1", Now.AddDays(-6)), Closed("inc-4", "gpu-a", "PCI:2", Now.AddDays(-5)),
            Closed("inc-5", "gpu-b", null, Now.AddDays(-4)), Closed("inc-6", "gpu-b", null, Now.AddDays(-20)),
            Closed("inc-7", "gpu-c", "PCI:1", Now.AddDays(-8)), Closed("inc-8", "gpu-c", "PCI:1", Now.AddDays(-40)));
        // A retried batch and a second delivery of a close: counted once.
        await WriteAsync(Closed("inc-1", "gpu-a", "PCI:1", Now.AddHours(-1)), Closed("inc-4", "gpu-a", "PCI:2", Now.AddDays(-5)),
            Closed("inc-9", "gpu-a", "PCI:2", Now.AddDays(-2)));

        var week = await LemonsAsync("7d");
        var month = await LemonsAsync("30d");

        Assert.Equal([new Lemon("gpu-a", "PCI:1", 3), new Lemon("gpu-a", "PCI:2", 2)], week);
        Assert.Equal([new Lemon("gpu-a", "PCI:1", 3), new Lemon("gpu-a", "PCI:2", 2), new Lemon("gpu-b", null, 2)], month);
    }

    [Fact]
    public async Task Any_run_of_days_agrees_with_counting_the_incident_rows()
    {
        var random = new Random(15);
        var incidents = Enumerable.Range(1, 600).Select(i => Closed($"inc-{i}", $"gpu-{random.Next(12)}", random.Next(4) == 0 ? null : $"PCI:{random.Next(3)}",
            Now.AddMinutes(-random.Next(80 * 24 * 60)))).ToList();
        foreach (var chunk in incidents.Chunk(97)) await WriteAsync(chunk);

        for (var i = 0; i < 40; i++)
        {
            var to = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-random.Next(30));
            var from = to.AddDays(-random.Next(3, 70));
            var expected = incidents.Where(x => DateOnly.FromDateTime(x.ClosedAt.UtcDateTime) is var day && day >= from && day <= to)
                .GroupBy(x => (x.NodeId, x.Device)).Select(g => new Lemon(g.Key.NodeId, g.Key.Device, g.Count())).Where(l => l.Incidents > 1)
                .OrderByDescending(l => l.Incidents).ThenBy(l => l.NodeId, StringComparer.Ordinal).ThenBy(l => l.Device ?? "", StringComparer.Ordinal).Take(20);
            Assert.Equal(expected, await NodeDays.LemonsAsync(_connection, _tables.NodeDays, from, to, CancellationToken.None));
        }
    }

    private async Task<List<Lemon>> LemonsAsync(string since)
    {
        var report = await new StatsReader(_tables).ReadAsync(_connection, Period.Parse(since, Now)!.Value, Now, CancellationToken.None);
        return [.. report.Lemons];
    }

    private async Task WriteAsync(params IncidentClosed[] incidents)
    {
        await using var transaction = await _connection.BeginTransactionAsync();
        await _tables.WriteAsync(_connection, incidents, CancellationToken.None);
        await transaction.CommitAsync();
    }

    private static IncidentClosed Closed(string id, string node, string? device, DateTimeOffset at) =>
        new(id, node, device, "xid:79", "gpu-reset", 0, StatsFold.FixedFirstRung, at.AddMinutes(-5), at);
}
