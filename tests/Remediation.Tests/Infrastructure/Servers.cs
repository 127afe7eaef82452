using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Remediation.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL and RabbitMQ the tests talk to: the ones named by REMEDIATION_POSTGRES / REMEDIATION_RABBITMQ
/// (what `make test` starts), else containers. Each test class gets its own schema and vhost.
/// </summary>
public sealed class Servers : IAsyncLifetime
{
    private PostgreSqlContainer? _postgres;
    private RabbitMqContainer? _rabbit;

    public string Postgres { get; private set; } = "";
    public Uri RabbitMq { get; private set; } = null!;
    public Uri Management { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var pg = Environment.GetEnvironmentVariable("REMEDIATION_POSTGRES");
        var mq = Environment.GetEnvironmentVariable("REMEDIATION_RABBITMQ");
        if (pg is null)
        {
            _postgres = new PostgreSqlBuilder("postgres:15").Build();
            await _postgres.StartAsync();
            pg = _postgres.GetConnectionString();
        }
        if (mq is null)
        {
            _rabbit = new RabbitMqBuilder("rabbitmq:3.13-management").WithPortBinding(15672, true).Build();
            await _rabbit.StartAsync();
            mq = _rabbit.GetConnectionString();
            Environment.SetEnvironmentVariable("REMEDIATION_RABBITMQ_MANAGEMENT", $"http://{_rabbit.Hostname}:{_rabbit.GetMappedPublicPort(15672)}");
        }
        Postgres = pg;
        RabbitMq = new Uri(mq);
        Management = new Uri(Environment.GetEnvironmentVariable("REMEDIATION_RABBITMQ_MANAGEMENT") ?? $"http://{RabbitMq.Host}:15672");
    }

    /// <summary>A fresh vhost, so each test class has its own exchanges and queues.</summary>
    public Task<Uri> CreateVhostAsync(string name) => Vhosts.CreateAsync(name);

    public Task DeleteVhostAsync(string name) => Vhosts.DeleteAsync(name);

    public RabbitVhosts Vhosts => new(RabbitMq, Management);

    public async Task DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_rabbit is not null) await _rabbit.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<Servers>
{
    public const string Name = "servers";
}
