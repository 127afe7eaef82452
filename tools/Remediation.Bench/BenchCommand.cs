using System.Text.Json;
using Remediation.Bench.Scenarios;
using Remediation.Cli;
using Remediation.Contracts;
using Remediation.Simulator;

namespace Remediation.Bench;

/// <summary>
/// Runs the chosen scenarios against the real service in-process, each on a fresh schema, with the raw
/// RabbitMQ→COPY baseline measured once in the same run, and writes every figure to --out (bench/results/latest.json).
/// </summary>
public static class BenchCommand
{
    private static readonly Dictionary<string, Func<BenchContext, CancellationToken, Task<Figures>>> Scenarios = new()
    {
        ["steady"] = SteadyScenario.RunAsync,
        ["max"] = MaxScenario.RunAsync,
        ["leaf-storm"] = LeafStormScenario.RunAsync,
        ["driver-bug"] = DriverBugScenario.RunAsync,
        ["timeline"] = TimelineScenario.RunAsync,
        ["rebuild"] = RebuildScenario.RunAsync,
        ["commit"] = CommitScenario.RunAsync,
        ["stats"] = StatsScenario.RunAsync,
        ["limits"] = LimitsScenario.RunAsync,
    };

    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var chosen = Choose(args.Option("scenario", "all"));
        var scale = BenchScale.From(args);
        var path = args.Option("out", "bench/results/latest.json");
        await using var bus = await BrokerConnections.Factory(args.RabbitMq, "remediation-bench").CreateConnectionAsync(ct);
        var context = new BenchContext(bus, args.Postgres, args.RabbitMq, scale, output);
        await context.SayAsync($"scenarios {string.Join(", ", chosen)} on {Environment.ProcessorCount} cores, run {context.RunId}");
        var catalog = await CatalogSize.MeasureAsync(args.Postgres, ct);
        await context.SayAsync(catalog.Describe());
        var results = new Dictionary<string, Figures>();
        foreach (var name in chosen)
        {
            results[name] = Targets.Judge(name, await Scenarios[name](context, ct));
            if (results[name].GetValueOrDefault("checks") is IReadOnlyList<TargetCheck> checks)
                await context.SayAsync($"{name}: target {(checks.All(t => t.Met) ? "met" : "NOT met")}: {Targets.Describe(checks)}");
        }

        var result = BenchResult.From(scale, context.BaselineEps, catalog, results);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions(WireJson.Options) { WriteIndented = true }), ct);
        await context.SayAsync($"written to {path}");
        return 0;
    }

    private static List<string> Choose(string text)
    {
        if (text == "all") return [.. Scenarios.Keys];
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var name in names.Where(n => !Scenarios.ContainsKey(n)))
            throw new CliException($"unknown scenario '{name}' (one of {string.Join(", ", Scenarios.Keys)}, or all)");
        return names;
    }
}
