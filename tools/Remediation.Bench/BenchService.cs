using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Remediation.Simulator;
using Remediation.Service.Bus;
using Remediation.Service.Hosting;

namespace Remediation.Bench;

/// <summary>The real service, in this process, on a fresh schema, with its decisions fed to a <see cref="LatencyRecorder"/>.</summary>
public sealed class BenchService : IAsyncDisposable
{
    public const string Token = "bench-token";

    private BenchService(WebApplication app, string schema, string postgres)
    {
        App = app;
        Schema = schema;
        _postgres = postgres;
    }

    private readonly string _postgres;

    public WebApplication App { get; }
    public string Schema { get; }
    public LatencyRecorder Latencies { get; } = new();

    /// <summary>Empties the ingest queue (a previous scenario's leftovers must not count), then builds the host; start it with <see cref="StartAsync"/>.</summary>
    public static async Task<BenchService> CreateAsync(BenchContext context, string scenario, IDictionary<string, string?> settings, CancellationToken ct)
    {
        await using (var setup = await context.Bus.CreateChannelAsync(cancellationToken: ct))
        {
            await BrokerConnections.DeclareIngestAsync(setup, ct);
            await setup.QueuePurgeAsync(BusTopology.FaultsQueue, ct);
        }
        var schema = $"bench_{context.RunId}_{scenario.Replace('-', '_')}";
        var all = new Dictionary<string, string?>
        {
            ["REMEDIATION_POSTGRES"] = context.Postgres,
            ["REMEDIATION_RABBITMQ"] = context.RabbitMq,
            ["Schema"] = schema,
            ["Decider:AutoApprove"] = "true",
            ["Api:Tokens:bench"] = Token,
            ["Api:Roles:bench"] = "operator,approver",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings) all[key] = value;
        var service = new BenchService(ServiceHost.Build(["--urls", "http://127.0.0.1:0"], all), schema, context.Postgres);
        service.App.Services.GetRequiredService<RemediationMetrics>().FaultDecided += service.Latencies.Record;
        return service;
    }

    /// <summary>
    /// Starts the host and collects its metrics once, as Prometheus does within seconds of a start: the first collection
    /// starts prometheus-net's adapters of .NET meters and event counters, and a figure taken before it measures a
    /// service no one scrapes (found when steady's window compiled MassTransit's meters that its warm-up had not run).
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        await App.StartAsync(ct);
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null, ct);
    }

    public HttpClient Http()
    {
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        return http;
    }

    public IDocumentStore Store => App.Services.GetRequiredService<IDocumentStore>();

    /// <summary>One number from SQL over this schema; <c>{s}</c> stands for the schema.</summary>
    public async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(_postgres);
        await db.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql.Replace("{s}", Schema, StringComparison.Ordinal), db) { CommandTimeout = 600 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Faults on the nodes whose ids start with the prefix that the store accounts for: recorded, ignored, brought into a storm, counted on their node, or counted in a storm's tally.</summary>
    public Task<long> AccountedFaultsAsync(string prefix, CancellationToken ct) => ScalarAsync(
        $"select (select count(*) filter (where type in ('fault_reported', 'fault_ignored', 'node_joined_storm')) " +
        $"+ coalesce(sum((data->>'count')::bigint) filter (where type = 'fault_repeated'), 0) from {{s}}.mt_events where stream_id like '{prefix}%') " +
        $"+ (select coalesce(sum((r->>'count')::bigint), 0) from {{s}}.mt_events e, jsonb_array_elements(e.data->'repeats') r " +
        $"where e.type = 'storm_tallied' and r->>'nodeId' like '{prefix}%')", ct);

    /// <summary>The nodes' events and the storms' own (detected, tallies): folding into a storm's stream is not free.</summary>
    public Task<long> EventsAsync(string prefix, CancellationToken ct) =>
        ScalarAsync($"select count(*) from {{s}}.mt_events where stream_id like '{prefix}%' or stream_id like '$storm%'", ct);

    /// <summary>Of <see cref="EventsAsync"/>, those the storms let go of their nodes with (written a window after the storm's last fault).</summary>
    public Task<long> LetGoEventsAsync(string prefix, CancellationToken ct) =>
        ScalarAsync($"select count(*) from {{s}}.mt_events where stream_id like '{prefix}%' and type = 'node_left_storm'", ct);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
