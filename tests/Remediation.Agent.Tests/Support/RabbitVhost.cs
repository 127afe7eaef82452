using System.Net.Http.Headers;
using System.Text;
using RabbitMQ.Client;
using Remediation.Agent.Publishing;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Support;

/// <summary>
/// A fresh vhost on the real RabbitMQ named by REMEDIATION_RABBITMQ (what deploy/local/servers.sh starts), with the
/// service's exchanges and a queue on each fanout to read what the agent published.
/// </summary>
public sealed class RabbitVhost : IAsyncLifetime
{
    public const string FaultsQueue = "test.faults";
    public const string ResultsQueue = "test.results";
    private readonly string _name = $"agent-test-{Guid.NewGuid():N}";
    private Uri _server = null!;
    private IConnection? _connection;
    private readonly List<string> _users = [];

    public Uri Broker { get; private set; } = null!;
    public IChannel Channel { get; private set; } = null!;

    /// <summary>The same vhost on a port where nothing listens: a broker that is down.</summary>
    public Uri Unreachable => new UriBuilder(Broker) { Port = 1 }.Uri;

    public async Task InitializeAsync()
    {
        var url = Environment.GetEnvironmentVariable("REMEDIATION_RABBITMQ")
            ?? throw new InvalidOperationException("REMEDIATION_RABBITMQ is not set: run `eval \"$(deploy/local/servers.sh)\"` first");
        _server = new Uri(url);
        using var http = Management();
        (await http.PutAsync($"api/vhosts/{_name}", null)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(_server.UserInfo.Split(':')[0]);
        var all = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/permissions/{_name}/{user}", all)).EnsureSuccessStatusCode();

        Broker = new UriBuilder(_server) { Path = "/" + _name }.Uri;
        _connection = await new ConnectionFactory { Uri = Broker }.CreateConnectionAsync();
        Channel = await _connection.CreateChannelAsync();
        foreach (var (exchange, queue) in new[] { (Exchanges.Faults, FaultsQueue), (Exchanges.StepResults, ResultsQueue) })
        {
            await Channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await Channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await Channel.QueueBindAsync(queue, exchange, "");
        }
        await Channel.ExchangeDeclareAsync(Exchanges.Commands, ExchangeType.Direct, durable: true);
    }

    public async Task<T?> NextAsync<T>(string queue) where T : class
    {
        var message = await Channel.BasicGetAsync(queue, autoAck: true);
        if (message is null) return null;
        return WireParser.TryParse<T>(message.Body, out var value, out var error) ? value : throw new InvalidDataException(error);
    }

    /// <summary>Waits for the next message; the bound only keeps a broken agent from hanging the run.</summary>
    public async Task<T> ReceiveAsync<T>(string queue) where T : class
    {
        for (var i = 0; i < 600; i++)
        {
            if (await NextAsync<T>(queue) is { } message) return message;
            await Task.Delay(100);
        }
        throw new TimeoutException($"nothing arrived on {queue}");
    }

    /// <summary>
    /// A broker user named after the node with exactly an agent's permissions in deploy/rabbitmq/definitions.json, and
    /// the command queue and binding the operator creates for it (the agent runs with --no-declare). Returns its URI.
    /// </summary>
    public async Task<Uri> AgentUserAsync(string nodeId)
    {
        using var http = Management();
        var password = Guid.NewGuid().ToString("N");
        var user = new StringContent($$"""{"password":"{{password}}","tags":""}""", Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/users/{nodeId}", user)).EnsureSuccessStatusCode();
        var permissions = System.Text.Json.JsonSerializer.Serialize(new
        {
            configure = "^$", write = @"^remediation\.(faults|step-results)$", read = $@"^remediation\.agent\.{nodeId}$",
        });
        (await http.PutAsync($"api/permissions/{_name}/{nodeId}", new StringContent(permissions, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        _users.Add(nodeId);
        await Channel.QueueDeclareAsync(BrokerSession.QueueOf(nodeId), durable: true, exclusive: false, autoDelete: false);
        await Channel.QueueBindAsync(BrokerSession.QueueOf(nodeId), Exchanges.Commands, nodeId);
        return new UriBuilder(Broker) { UserName = nodeId, Password = password }.Uri;
    }

    private HttpClient Management()
    {
        var management = Environment.GetEnvironmentVariable("REMEDIATION_RABBITMQ_MANAGEMENT") ?? $"http://{_server.Host}:15672";
        var http = new HttpClient { BaseAddress = new Uri(management) };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(_server.UserInfo)));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return http;
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        using var http = Management();
        await http.DeleteAsync($"api/vhosts/{_name}");
        foreach (var user in _users) await http.DeleteAsync($"api/users/{user}");
    }
}
