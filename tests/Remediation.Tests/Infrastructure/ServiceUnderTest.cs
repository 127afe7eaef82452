using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Simulator;

using Remediation.Service.Hosting;

namespace Remediation.Tests.Infrastructure;

/// <summary>The real service, started in-process on a free port against its own schema and vhost.</summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    private readonly Servers _servers;
    private readonly string _vhost;
    private readonly Dictionary<string, string?> _settings;
    private WebApplication? _app;
    private readonly Action<IServiceCollection>? _extra;

    private ServiceUnderTest(Servers servers, string name, Uri rabbit, Dictionary<string, string?> settings, Action<IServiceCollection>? extra)
    {
        _extra = extra;
        _servers = servers;
        _vhost = name;
        RabbitMq = rabbit;
        _settings = settings;
    }

    public const string Token = "test-operator-token";

    public Uri RabbitMq { get; }

    /// <summary>The service's own vhost on the shared broker.</summary>
    public string Vhost => _vhost;
    /// <summary>The PostgreSQL schema this service writes to.</summary>
    public string Schema => _vhost;
    public HttpClient Http { get; private set; } = null!;
    public IConnection Bus { get; private set; } = null!;

    /// <summary>The running service's own services, for what only the process can tell.</summary>
    public IServiceProvider Services => _app!.Services;

    public static async Task<ServiceUnderTest> StartAsync(Servers servers, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? extra = null)
    {
        var name = $"t{Guid.NewGuid():N}"[..20];
        var rabbit = await servers.CreateVhostAsync(name);
        // The service runs as the least-privilege user deploy/rabbitmq ships, so a missing permission fails a test; the
        // harness publishes as the broker's administrator, trusted like the demo's simulated fleet.
        var serviceUser = await servers.Vhosts.CreateServiceUserAsync(name);
        var all = new Dictionary<string, string?>
        {
            ["REMEDIATION_POSTGRES"] = servers.Postgres,
            ["REMEDIATION_RABBITMQ"] = serviceUser.ToString(),
            ["Ingest:TrustedPublishers"] = BrokerUser.Of(rabbit),
            ["Schema"] = name,
            ["Runbooks:Directory"] = Repo.Runbooks,
            ["Decider:AutoApprove"] = "true",
            ["Api:Tokens:tester"] = Token,
            ["Api:Roles:tester"] = "operator,approver",
            ["Pipeline:CoalesceFlush"] = "00:00:01",
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("TEST_LOG_LEVEL") ?? "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var service = new ServiceUnderTest(servers, name, rabbit, all, extra);
        service.Bus = await BrokerConnections.Factory(rabbit.ToString(), "tests").CreateConnectionAsync();
        await service.StartServiceAsync();
        return service;
    }

    /// <summary>Stops and starts the service process-equivalent: a new host over the same schema and vhost.</summary>
    public async Task RestartAsync()
    {
        await StopServiceAsync();
        await StartServiceAsync();
    }

    public async Task StartServiceAsync() => (_app, Http) = await StartHostAsync(_settings, _extra);

    /// <summary>Another instance of the same deployment: same schema, same vhost, its own HTTP port.</summary>
    public async Task<ServiceInstance> StartInstanceAsync()
    {
        var (app, http) = await StartHostAsync(_settings, _extra);
        return new ServiceInstance(app, http);
    }

    private static async Task<(WebApplication, HttpClient)> StartHostAsync(Dictionary<string, string?> settings, Action<IServiceCollection>? extra)
    {
        var app = ServiceHost.Build(["--urls", "http://127.0.0.1:0"], settings, extra);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        return (app, http);
    }

    public async Task StopServiceAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async Task<SimulatedFleet> StartAgentsAsync(IReadOnlyList<string> nodes, Func<StepRequested, bool> succeeds,
        Func<StepRequested, bool>? answers = null)
    {
        var fleet = new SimulatedFleet(Bus, BrokerUser.Of(RabbitMq), nodes, succeeds, TimeSpan.FromMilliseconds(20), answers);
        await fleet.StartAsync(CancellationToken.None);
        return fleet;
    }

    /// <summary>Publishes bytes exactly as given, the way a shell or Go agent would.</summary>
    public async Task PublishRawAsync(string json)
    {
        await using var publisher = await FaultPublisher.CreateAsync(Bus, BrokerUser.Of(RabbitMq), CancellationToken.None);
        await publisher.PublishAsync(Encoding.UTF8.GetBytes(json), CancellationToken.None);
    }

    public async Task PublishAsync(params FaultDetected[] faults)
    {
        await using var publisher = await FaultPublisher.CreateAsync(Bus, BrokerUser.Of(RabbitMq), CancellationToken.None);
        foreach (var fault in faults) await publisher.PublishAsync(fault, CancellationToken.None);
    }

    public async Task<List<TimelineEntry>> TimelineAsync(string nodeId) =>
        (await Http.GetFromJsonAsync<List<TimelineEntry>>($"/api/nodes/{nodeId}/timeline"))!;

    public async Task<JsonElement> NodeAsync(string nodeId) => await Http.GetFromJsonAsync<JsonElement>($"/api/nodes/{nodeId}");

    /// <summary>Polls the node until the condition holds; fails with the node's timeline when it never does.</summary>
    public async Task<JsonElement> WaitForNodeAsync(string nodeId, Func<JsonElement, bool> condition, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            var response = await Http.GetAsync($"/api/nodes/{nodeId}");
            if (response.IsSuccessStatusCode)
            {
                var node = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (condition(node)) return node;
            }
            await Task.Delay(100);
        }
        var timeline = await Http.GetStringAsync($"/api/nodes/{nodeId}/timeline");
        throw new TimeoutException($"node {nodeId} never reached the expected state; timeline: {timeline}");
    }

    /// <summary>Polls <c>/health</c> until the condition holds; fails with the last answer when it never does.</summary>
    public async Task<JsonElement> WaitForHealthAsync(Func<JsonElement, bool> condition, string what, int seconds = 60)
    {
        JsonElement last = default;
        for (var until = DateTime.UtcNow.AddSeconds(seconds); DateTime.UtcNow < until; await Task.Delay(500))
        {
            var response = await Http.GetAsync("/health");
            last = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (condition(last)) return last;
        }
        throw new TimeoutException($"/health never became {what}; last: {last}");
    }

    /// <summary>What a <c>/health</c> answer names as wrong.</summary>
    public static List<string> Problems(JsonElement health) => health.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();

    /// <summary>POSTs JSON (or nothing) and returns the status and the body as JSON (a problem's detail included).</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object? body = null)
    {
        var response = body is null ? await Http.PostAsync(path, null) : await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static bool Is(JsonElement node, string status) => node.GetProperty("status").GetString() == status;

    public static bool IsIdle(JsonElement node, string status) =>
        Is(node, status) && node.GetProperty("incident").ValueKind == JsonValueKind.Null;

    public async ValueTask DisposeAsync()
    {
        await StopServiceAsync();
        await Bus.CloseAsync();
        await _servers.DeleteVhostAsync(_vhost);
        await _servers.Vhosts.DeleteUserAsync($"svc-{_vhost}");
    }
}

/// <summary>An extra instance started by <see cref="ServiceUnderTest.StartInstanceAsync"/>.</summary>
public sealed class ServiceInstance(WebApplication app, HttpClient http) : IAsyncDisposable
{
    private bool _stopped;

    public HttpClient Http { get; } = http;

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}

public sealed record TimelineEntry(long Sequence, DateTimeOffset Timestamp, string Type, JsonElement Data);
