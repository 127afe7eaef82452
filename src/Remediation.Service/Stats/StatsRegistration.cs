using Marten;

namespace Remediation.Service.Stats;

public static class StatsRegistration
{
    public static IServiceCollection AddStats(this IServiceCollection services, string schema)
    {
        services.AddSingleton(new StatsTables(schema));
        services.AddSingleton<StatsReader>();
        services.AddSingleton<StatsRebuild>();
        services.AddHostedService<StatsSchema>();
        return services;
    }
}

/// <summary>Creates the read model's tables at start-up, after Marten has its schema, so readers never find them missing.</summary>
public sealed class StatsSchema(IDocumentStore store, StatsTables tables) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await tables.EnsureAsync(connection, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
