using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Remediation.Core.Nodes;
using Remediation.Service.Hosting;
using Remediation.Store;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Storage;

/// <summary>The start-up check keeps node documents inline: a 3 KB document stays in its row, with no TOAST written.</summary>
public sealed class NodeDocumentStorageTests(Servers servers) : IClassFixture<Servers>
{
    [Fact]
    public async Task Start_up_sets_the_storage_once_and_a_large_document_stays_out_of_TOAST()
    {
        var schema = $"inline{Guid.NewGuid():N}"[..20];
        using var store = DocumentStore.For(o => o.ConfigureNodes(servers.Postgres, schema));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        await new StoreLayoutCheck(store, NullLogger<StoreLayoutCheck>.Instance).StartAsync(CancellationToken.None);

        Assert.Equal(["toast_tuple_target=8160", "fillfactor=50"], await ScalarAsync<string[]>($"select reloptions from pg_class where oid = '{schema}.mt_doc_nodestate'::regclass"));
        Assert.False(await StoreLayout.KeepNodeDocumentsInlineAsync(store, CancellationToken.None));

        // A node that has remembered 256 eventIds, as every node of a fleet that has run for weeks has.
        var state = NodeState.New("node-inline") with { RecentEventIds = RecentEvents.Of(Enumerable.Range(0, 256).Select(_ => $"{Guid.NewGuid():N}")) };
        await using (var session = store.LightweightSession())
        {
            session.Store(state);
            await session.SaveChangesAsync();
        }
        Assert.True(await ScalarAsync<int>($"select pg_column_size(data) from {schema}.mt_doc_nodestate") > 2500);
        Assert.Equal(0L, await ScalarAsync<long>($"select pg_relation_size(reltoastrelid) from pg_class where oid = '{schema}.mt_doc_nodestate'::regclass"));
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
