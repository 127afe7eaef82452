using Marten;
using Npgsql;

namespace Remediation.Store;

/// <summary>
/// The columns of Marten's tables that <see cref="BatchWriter"/> writes, and those it leaves to their default. The
/// writer writes Marten's rows itself, so a column Marten starts to fill (another Marten version, another option)
/// must stop start-up rather than leave rows that Marten reads back differently. BatchWriterTests compares the rows
/// Marten and the writer write, column by column.
/// </summary>
public static class StoreLayout
{
    public static readonly IReadOnlyDictionary<string, (string[] Written, string[] Defaulted)> Tables =
        new Dictionary<string, (string[], string[])>
        {
            ["mt_events"] = (["seq_id", "id", "stream_id", "version", "data", "type", "timestamp", "tenant_id", "mt_dotnet_type"],
                // correlation_id and causation_id: written by nobody, left behind in stores from when they were switched on
                ["bdata", "is_archived", "correlation_id", "causation_id"]),
            ["mt_streams"] = (["id", "type", "version", "timestamp", "tenant_id"], ["created", "compacted_version", "is_archived"]),
            ["mt_doc_nodestate"] = (["id", "data", "status", "mt_version", "mt_dotnet_type", "mt_last_modified"], []),
        };

    /// <summary>What in the store's tables is not as the writer expects, one line each; empty when all is.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(IDocumentStore store, CancellationToken ct)
    {
        var schema = store.Options.DatabaseSchemaName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var read = new NpgsqlCommand(
            "select table_name, column_name, is_nullable = 'YES' or column_default is not null from information_schema.columns where table_schema = $1 and table_name = any($2)",
            connection) { Parameters = { new() { Value = schema }, new() { Value = Tables.Keys.ToArray() } } };
        var columns = new List<(string Table, string Column, bool MayBeLeftOut)>();
        await using (var reader = await read.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));

        var problems = new List<string>();
        foreach (var (table, (written, defaulted)) in Tables)
        {
            var present = columns.Where(c => c.Table == table).ToList();
            problems.AddRange(written.Where(w => present.All(c => c.Column != w)).Select(w => $"{schema}.{table} has no column {w}, which BatchWriter writes"));
            problems.AddRange(present.Where(c => !written.Contains(c.Column) && !defaulted.Contains(c.Column))
                .Select(c => $"{schema}.{table}.{c.Column} is a column BatchWriter does not know: write it as Marten does, or say why not in StoreLayout"));
            problems.AddRange(present.Where(c => defaulted.Contains(c.Column) && !c.MayBeLeftOut)
                .Select(c => $"{schema}.{table}.{c.Column} is required now, and BatchWriter leaves it out"));
        }
        return problems;
    }

    /// <summary>
    /// The node documents' storage parameters: every commit rewrites each node it touches, and once a node remembers its
    /// 256 eventIds its document is about 3 KB. Above 2 KB PostgreSQL tries to compress a row (the hashes do not
    /// compress) and then moves it out of line, so each upsert also wrote TOAST chunks and their index, and left them
    /// dead: 91 MB of TOAST for 500 nodes after one `max` run. Kept inline up to a page (toast_tuple_target), with room
    /// on the page for the next version (fillfactor), an upsert of 500 such documents took about half the time.
    /// </summary>
    public const string NodeDocumentStorage = "toast_tuple_target=8160,fillfactor=50";

    /// <summary>Sets <see cref="NodeDocumentStorage"/> when the table does not have it; true if it changed anything.</summary>
    /// <remarks>Takes a lock that lets reads and writes go on; rows written before keep their place until rewritten.</remarks>
    public static async Task<bool> KeepNodeDocumentsInlineAsync(IDocumentStore store, CancellationToken ct)
    {
        var schema = store.Options.DatabaseSchemaName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var read = new NpgsqlCommand(
            "select coalesce(c.reloptions, '{}') from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = 'mt_doc_nodestate'",
            connection) { Parameters = { new() { Value = schema } } };
        var current = await read.ExecuteScalarAsync(ct) as string[] ?? [];
        if (NodeDocumentStorage.Split(',').All(current.Contains)) return false;
        await using var alter = new NpgsqlCommand($"alter table {schema}.mt_doc_nodestate set ({NodeDocumentStorage})", connection);
        await alter.ExecuteNonQueryAsync(ct);
        return true;
    }
}
