using RabbitMQ.Client;
using Remediation.Cli;

namespace Remediation.Bench;

/// <summary>What every scenario shares: the servers, the scale knobs, where to print, and the baseline once measured.</summary>
public sealed class BenchContext(IConnection bus, string postgres, string rabbitMq, BenchScale scale, TextWriter output)
{
    public IConnection Bus { get; } = bus;
    public string Postgres { get; } = postgres;
    public string RabbitMq { get; } = rabbitMq;
    public BenchScale Scale { get; } = scale;
    public TextWriter Output { get; } = output;
    public string RunId { get; } = $"{DateTime.UtcNow:yyyyMMdd_HHmmss}";

    /// <summary>Raw RabbitMQ→COPY messages/s on the same machine in the same run; measured by the first scenario that needs it.</summary>
    public double? BaselineEps { get; set; }

    /// <summary>The schema the timeline scenario seeded, so the rebuild can fold the same store.</summary>
    public (string Schema, long Events)? SeededStore { get; set; }

    public Task SayAsync(string line) => Output.WriteLineAsync($"bench: {line}");

    public async Task<double> BaselineAsync(CancellationToken ct)
    {
        if (BaselineEps is { } known) return known;
        var bodies = Enumerable.Range(0, Scale.Faults).Select(i => BenchWorkload.Fault(i, Scale.Nodes)).ToList();
        await SayAsync($"baseline: {bodies.Count} messages through RabbitMQ.Client, COPY, ack after commit");
        var schema = $"bench_{RunId}_baseline";
        await using (var db = new Npgsql.NpgsqlConnection(Postgres))
        {
            await db.OpenAsync(ct);
            await using var create = new Npgsql.NpgsqlCommand($"create schema if not exists {schema}", db);
            await create.ExecuteNonQueryAsync(ct);
        }
        // Twice, the faster counts: the first run compiles the baseline's own code, and a cold baseline flatters the ratio.
        var first = await Baseline.RunAsync(this, schema, bodies, ct);
        var second = await Baseline.RunAsync(this, schema, bodies, ct);
        await SayAsync($"baseline: {first:F0} and {second:F0} msgs/s");
        BaselineEps = Math.Max(first, second);
        return BaselineEps.Value;
    }
}

/// <summary>The scale knobs: --faults, --nodes, --rate, --duration, --burst-rate, --burst-seconds, --steady-rate, --fleet, --events, --publishers.</summary>
public sealed record BenchScale(int Faults, int Nodes, int Rate, TimeSpan Duration, int BurstRate, int BurstSeconds, int SteadyRate, int Fleet, int Events,
    int Publishers)
{
    public static BenchScale From(CliArgs args) => new(
        args.Int("faults", 20000), args.Int("nodes", 500), args.Int("rate", 1000), TimeSpan.FromSeconds(args.Int("duration", 10)),
        args.Int("burst-rate", 20000), args.Int("burst-seconds", 3), args.Int("steady-rate", 100), args.Int("fleet", 12500), args.Int("events", 1_000_000),
        args.Int("publishers", 4));
}
