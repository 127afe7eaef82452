using Npgsql;

namespace Remediation.Bench;

/// <summary>
/// How many schemas the bench's database holds. Every test class and bench scenario makes a schema of its own, with
/// Marten's tables and functions, and a machine that runs the suites over and over collects thousands: then each new
/// PostgreSQL backend's first call of a function searches every same-named copy (parsing one
/// <c>mt_quick_append_events</c> call took 469 to 551 ms among 6,452 copies), and figures measured on it are slower
/// than the service is. The bench says so rather than print them as the service's.
/// </summary>
public sealed record CatalogSize(long Schemas, long Relations)
{
    /// <summary>A few scenarios' worth; a test run leaves a couple of hundred.</summary>
    public const long Crowded = 200;

    public static async Task<CatalogSize> MeasureAsync(string postgres, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "select (select count(*) from pg_namespace where nspname not like 'pg\\_%' and nspname <> 'information_schema'), (select count(*) from pg_class)", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new CatalogSize(reader.GetInt64(0), reader.GetInt64(1));
    }

    public string Describe() => Schemas <= Crowded
        ? $"catalog: {Schemas} schemas, {Relations} relations"
        : $"catalog: {Schemas} schemas, {Relations} relations - CROWDED: schemas left by earlier test and bench runs slow PostgreSQL's "
          + "first use of each function and type on every new connection, so what follows is slower than the service. Drop the "
          + "schemas of earlier runs (every one but public and remediation in this test database) with the statements "
          + "select format('drop schema %I cascade;', nspname) from pg_namespace where nspname !~ '^(pg_|information_schema$|public$|remediation$)' prints";
}
