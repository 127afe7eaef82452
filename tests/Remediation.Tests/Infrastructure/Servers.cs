using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Remediation.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL and RabbitMQ the tests talk to: the ones named by REMEDIATION_POSTGRES / REMEDIATION_RABBITMQ
/// (what `make test` starts), else containers. Each test class gets its own schema and vhost, so test classes run side
/// by side, each with a fixture of its own on the same servers.
/// </summary>
public sealed class Servers : IAsyncLifetime
{
    // Containers start once for the whole run, whichever class asks first; Testcontainers removes them when it ends.
    private static readonly Lazy<Task<(string Postgres, Uri RabbitMq)>> Started = new(StartAsync);

    public string Postgres { get; private set; } = "";
    public Uri RabbitMq { get; private set; } = null!;
    public Uri Management { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (Postgres, RabbitMq) = await Started.Value;
        Management = new Uri(Environment.GetEnvironmentVariable("REMEDIATION_RABBITMQ_MANAGEMENT") ?? $"http://{RabbitMq.Host}:15672");
    }

    private static async Task<(string Postgres, Uri RabbitMq)> StartAsync()
    {
        var pg = Environment.GetEnvironmentVariable("REMEDIATION_POSTGRES");
        var mq = Environment.GetEnvironmentVariable("REMEDIATION_RABBITMQ");
        if (pg is null)
        {
            var postgres = new PostgreSqlBuilder("postgres:15").Build();
            await postgres.StartAsync();
            pg = postgres.GetConnectionString();
        }
        if (mq is null)
        {
            var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management").WithPortBinding(15672, true).Build();
            await rabbit.StartAsync();
            mq = rabbit.GetConnectionString();
            Environment.SetEnvironmentVariable("REMEDIATION_RABBITMQ_MANAGEMENT", $"http://{rabbit.Hostname}:{rabbit.GetMappedPublicPort(15672)}");
        }
        return (pg, new Uri(mq));
    }

    /// <summary>A fresh vhost, so each test class has its own exchanges and queues.</summary>
    public Task<Uri> CreateVhostAsync(string name) => Vhosts.CreateAsync(name);

    public Task DeleteVhostAsync(string name) => Vhosts.DeleteAsync(name);

    public RabbitVhosts Vhosts => new(RabbitMq, Management);

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// Test classes that share something global besides the servers (one browser's settings, the CPU a benchmark measures)
/// run one after another in a collection of their own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection
{
    /// <summary>Each browser test class launches a Chromium of its own; two at once starve a 2-core CI machine.</summary>
    public const string Name = "chromium";
}

/// <summary>Runs after every other test, alone: a benchmark's figures and its deadlines mean nothing on a machine busy with other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
