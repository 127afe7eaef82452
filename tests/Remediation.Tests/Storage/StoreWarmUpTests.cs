using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Remediation.Service.Hosting;
using Remediation.Store;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Storage;

/// <summary>The start-up warm-up of the store's storm code: it writes through Marten for real, and stores nothing.</summary>
public sealed class StoreWarmUpTests(Servers servers) : IClassFixture<Servers>
{
    [Fact]
    public async Task Warming_up_leaves_no_stream_and_no_event_behind()
    {
        var schema = $"warm{Guid.NewGuid():N}"[..20];
        using var store = DocumentStore.For(o => o.ConfigureNodes(servers.Postgres, schema));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        await new StoreWarmUp(store, new StoredEvents(store), NullLogger<StoreWarmUp>.Instance).StartAsync(CancellationToken.None);

        await using var connection = new NpgsqlConnection(servers.Postgres);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"select (select count(*) from {schema}.mt_streams) + (select count(*) from {schema}.mt_events)", connection);
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_store_it_cannot_reach_does_not_stop_the_start()
    {
        using var store = DocumentStore.For(o => o.ConfigureNodes("Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2", "nowhere"));

        var warming = new StoreWarmUp(store, new StoredEvents(store), NullLogger<StoreWarmUp>.Instance).StartAsync(CancellationToken.None);

        await warming.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(warming.IsCompletedSuccessfully);
    }
}
