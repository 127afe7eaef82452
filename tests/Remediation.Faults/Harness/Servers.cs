using Npgsql;
using Remediation.Tests.Infrastructure;

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

    public RabbitVhosts Vhosts => new(RabbitMq, Management);

    public Task<Uri> CreateVhostAsync(string name) => Vhosts.CreateAsync(name);

    public Task DeleteVhostAsync(string name) => Vhosts.DeleteAsync(name);

    public async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {schema} cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
