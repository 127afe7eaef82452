using Remediation.Core.Runbooks;

namespace Remediation.Service.Hosting;

/// <summary>Where the service finds its servers and runbooks. Read from configuration and the environment.</summary>
public sealed record RemediationOptions
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=remediation;Password=remediation;Database=remediation";
    public const string DefaultRabbitMq = "amqp://guest:guest@127.0.0.1:5672/";

    public string Postgres { get; init; } = DefaultPostgres;
    public string RabbitMq { get; init; } = DefaultRabbitMq;
    public string Schema { get; init; } = "remediation";
    public string RunbooksDirectory { get; init; } = "runbooks";

    public static RemediationOptions From(IConfiguration config) => new()
    {
        Postgres = config["REMEDIATION_POSTGRES"] ?? config["Postgres"] ?? DefaultPostgres,
        RabbitMq = config["REMEDIATION_RABBITMQ"] ?? config["RabbitMq"] ?? DefaultRabbitMq,
        Schema = config["Schema"] ?? "remediation",
        RunbooksDirectory = config["Runbooks:Directory"] ?? RunbookDirectory.Find(),
    };
}
