using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace Remediation.Faults.Harness;

/// <summary>
/// The local PostgreSQL and RabbitMQ that `deploy/local/servers.sh` started. Every scenario gets its own vhost and
/// schema, so other people's tests on the same servers never see its messages or events.
/// </summary>
public sealed class Servers
{
    public string Postgres { get; } = Env("REMEDIATION_POSTGRES");
    public Uri RabbitMq { get; } = new(Env("REMEDIATION_RABBITMQ"));
    public Uri Management { get; } = new(Env("REMEDIATION_RABBITMQ_MANAGEMENT").TrimEnd('/') + "/");

    private static string Env(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run through `make faults` (deploy/local/faults.sh)");

    public async Task<Uri> CreateVhostAsync(string name)
    {
        using var http = ManagementClient();
        var user = Uri.UnescapeDataString(RabbitMq.UserInfo.Split(':')[0]);
        (await http.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/permissions/{name}/{user}", permissions)).EnsureSuccessStatusCode();
        return new UriBuilder(RabbitMq) { Path = "/" + name }.Uri;
    }

    public async Task DeleteVhostAsync(string name)
    {
        using var http = ManagementClient();
        await http.DeleteAsync($"api/vhosts/{name}");
    }

    public async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {schema} cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = Management };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(RabbitMq.UserInfo)));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return http;
    }
}
