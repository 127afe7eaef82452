using Npgsql;

namespace Remediation.Tests.Web;

/// <summary>
/// Node-status documents written straight into the table with one INSERT … SELECT generate_series: a fleet of
/// 100,000 in seconds, where 100,000 faults through the bus would take minutes. Every 100th node NeedsHuman with an
/// open Xid 79 incident, every 250th (offset 1) is Cordoned, the rest are Healthy; ids are PREFIX000001 onwards.
/// </summary>
public static class FleetSeed
{
    public static async Task SeedAsync(string postgres, string schema, int count, string prefix)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand($"""
            insert into {schema}.mt_doc_nodestate (id, data, status, mt_version, mt_dotnet_type, mt_last_modified)
            select id, jsonb_build_object(
                'id', id, 'status', status, 'version', 3, 'incidentCount', case when status = 'Healthy' then 0 else 1 end,
                'incident', case when status = 'NeedsHuman' then jsonb_build_object(
                    'id', 'inc-' || id || '-1', 'fingerprint', 'xid:79:PCI:0000:3b:00', 'kind', 'xid', 'xid', 79,
                    'device', 'PCI:0000:3b:00', 'evidence', 'NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.',
                    'openedAt', now(), 'faultCount', 1, 'observeUntil', null, 'runbook', 'gpu-reset',
                    'runbooksTried', jsonb_build_array('gpu-reset'), 'failedActions', jsonb_build_array('reset_gpu'),
                    'pending', null, 'approval', null, 'deferred', null, 'cordoned', false, 'ticket', null) end,
                'lastFault', null, 'recentEventIds', '[]'::jsonb, 'history', '[]'::jsonb, 'updatedAt', now()),
              status, gen_random_uuid(), 'Remediation.Core.Nodes.NodeState', now()
            from (select @prefix || lpad(g::text, 6, '0') as id,
                         case when g % 100 = 0 then 'NeedsHuman' when g % 250 = 1 then 'Cordoned' else 'Healthy' end as status
                  from generate_series(1, @count) g) s
            """, connection);
        insert.Parameters.AddWithValue("prefix", prefix);
        insert.Parameters.AddWithValue("count", count);
        insert.CommandTimeout = 300;
        await insert.ExecuteNonQueryAsync();
        await using var analyze = new NpgsqlCommand($"analyze {schema}.mt_doc_nodestate", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    public static int NeedsHuman(int count) => count / 100;

    public static int Cordoned(int count) => Enumerable.Range(1, count).Count(g => g % 100 != 0 && g % 250 == 1);
}
