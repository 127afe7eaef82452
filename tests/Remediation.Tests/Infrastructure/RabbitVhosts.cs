using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Remediation.Tests.Infrastructure;

/// <summary>
/// Vhosts made and removed through RabbitMQ's management API, so each test class or fault scenario has exchanges and
/// queues of its own on a shared broker. Linked into tests/Remediation.Faults as well.
/// </summary>
public sealed class RabbitVhosts(Uri amqp, Uri management)
{
    public async Task<Uri> CreateAsync(string name)
    {
        using var http = ManagementClient();
        var user = Uri.UnescapeDataString(amqp.UserInfo.Split(':')[0]);
        (await http.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/permissions/{name}/{user}", permissions)).EnsureSuccessStatusCode();
        return new UriBuilder(amqp) { Path = "/" + name }.Uri;
    }

    /// <summary>
    /// A broker user with exactly the permissions <c>deploy/rabbitmq/definitions.json</c> gives its kind: the service's
    /// <c>^remediation\.</c> for everything; a node agent's name is its node id, it may write the two ingest exchanges
    /// and read its own command queue. Returns the vhost's URI with that user's credentials.
    /// </summary>
    public async Task<Uri> CreateUserAsync(string vhost, string user, string configure, string write, string read)
    {
        using var http = ManagementClient();
        var password = Guid.NewGuid().ToString("N");
        var body = new StringContent($$"""{"password":"{{password}}","tags":""}""", Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/users/{Uri.EscapeDataString(user)}", body)).EnsureSuccessStatusCode();
        var permissions = System.Text.Json.JsonSerializer.Serialize(new { configure, write, read });
        (await http.PutAsync($"api/permissions/{vhost}/{Uri.EscapeDataString(user)}", new StringContent(permissions, Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();
        return new UriBuilder(amqp) { Path = "/" + vhost, UserName = Uri.EscapeDataString(user), Password = password }.Uri;
    }

    public Task<Uri> CreateServiceUserAsync(string vhost) =>
        CreateUserAsync(vhost, $"svc-{vhost}", @"^remediation\.", @"^remediation\.", @"^remediation\.");

    public Task<Uri> CreateAgentUserAsync(string vhost, string nodeId) =>
        CreateUserAsync(vhost, nodeId, "^$", @"^remediation\.(faults|step-results)$", $@"^remediation\.agent\.{nodeId.Replace(".", @"\.")}$");

    public async Task DeleteUserAsync(string user)
    {
        using var http = ManagementClient();
        await http.DeleteAsync($"api/users/{Uri.EscapeDataString(user)}");
    }

    public async Task DeleteAsync(string name)
    {
        using var http = ManagementClient();
        await http.DeleteAsync($"api/vhosts/{name}");
    }

    /// <summary>Sets what a user may read on the vhost, configure and write staying at <paramref name="others"/>: e.g. to refuse one queue.</summary>
    public Task SetReadPermissionAsync(string vhost, string user, string others, string read) => SetPermissionsAsync(vhost, user, others, others, read);

    public Task SetWritePermissionAsync(string vhost, string user, string others, string write) => SetPermissionsAsync(vhost, user, others, write, others);

    private async Task SetPermissionsAsync(string vhost, string user, string configure, string write, string read)
    {
        using var http = ManagementClient();
        var body = System.Text.Json.JsonSerializer.Serialize(new { configure, write, read });
        (await http.PutAsync($"api/permissions/{vhost}/{Uri.EscapeDataString(user)}", new StringContent(body, Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Closes the broker connections a client opened on the vhost under its connection name, as a network blip would.
    /// The management API lists a new connection only after its next statistics round (seconds), so this waits until it
    /// lists one: closing nothing would leave the test to wait for a reconnect that never comes.
    /// </summary>
    public async Task CloseConnectionsAsync(string vhost, string clientName)
    {
        using var http = ManagementClient();
        var connections = await ConnectionsAsync(http, vhost, clientName);
        for (var i = 0; i < 60 && connections.Count == 0; i++)
        {
            await Task.Delay(500);
            connections = await ConnectionsAsync(http, vhost, clientName);
        }
        if (connections.Count == 0) throw new TimeoutException($"RabbitMQ never listed a connection named {clientName} on {vhost}");
        foreach (var connection in connections)
            await http.DeleteAsync($"api/connections/{Uri.EscapeDataString(connection.GetProperty("name").GetString()!)}");
    }

    /// <summary>The local TCP ports of the connections a client opened on the vhost under its connection name.</summary>
    public async Task<List<int>> ClientPortsAsync(string vhost, string clientName)
    {
        using var http = ManagementClient();
        return (await ConnectionsAsync(http, vhost, clientName)).Select(c => c.GetProperty("peer_port").GetInt32()).ToList();
    }

    private static async Task<List<System.Text.Json.JsonElement>> ConnectionsAsync(HttpClient http, string vhost, string clientName)
    {
        var connections = await http.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"api/vhosts/{vhost}/connections") ?? [];
        return connections.Where(c => c.TryGetProperty("client_properties", out var client) && client.TryGetProperty("connection_name", out var name)
            && name.GetString() == clientName).ToList();
    }

    /// <summary>Each queue of the vhost with how many consumers the broker sees on it.</summary>
    public async Task<Dictionary<string, int>> ConsumersAsync(string vhost)
    {
        using var http = ManagementClient();
        var queues = await http.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"api/queues/{vhost}") ?? [];
        return queues.ToDictionary(q => q.GetProperty("name").GetString()!, q => q.TryGetProperty("consumers", out var c) ? c.GetInt32() : 0);
    }

    /// <summary>Messages the broker has delivered on the queue and not had acknowledged (its statistics lag a few seconds).</summary>
    public async Task<long> UnacknowledgedAsync(string vhost, string queue)
    {
        using var http = ManagementClient();
        var q = await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/queues/{vhost}/{Uri.EscapeDataString(queue)}");
        return q.TryGetProperty("messages_unacknowledged", out var n) ? n.GetInt64() : 0;
    }

    private HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = management };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(amqp.UserInfo)));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return http;
    }
}
