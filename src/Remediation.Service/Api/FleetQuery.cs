using Marten;
using Remediation.Core.Nodes;
using Remediation.Core.Storms;

namespace Remediation.Service.Api;

/// <summary>
/// One page of the fleet and the counts by state, straight from the node-status table: keyset paging on node id,
/// so page 1,000 costs what page 1 does, and the counts are one grouped query over the indexed status column that
/// never reads a document out.
/// </summary>
public sealed record FleetQuery(NodeStatus? Status, string? Kind, int? Xid, IReadOnlyList<string>? Nodes, string? Search, int Limit, string? After)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The query from <c>?status=&amp;kind=&amp;rack=&amp;switch=&amp;q=&amp;limit=&amp;after=</c>, or why it is not one.</summary>
    public static (FleetQuery? Query, string? Error) Parse(IQueryCollection q, Topology topology)
    {
        NodeStatus? status = null;
        if (Value(q, "status") is { } s)
        {
            if (!Enum.TryParse<NodeStatus>(s, ignoreCase: true, out var parsed) || int.TryParse(s, out _))
                return (null, $"unknown status '{s}' (one of {string.Join(", ", Enum.GetNames<NodeStatus>())})");
            status = parsed;
        }
        var limit = DefaultLimit;
        if (Value(q, "limit") is { } l && (!int.TryParse(l, out limit) || limit is < 1 or > MaxLimit))
            return (null, $"limit must be from 1 to {MaxLimit}, not '{l}'");
        var (kind, xid, kindOk) = KindOf(Value(q, "kind"));
        if (!kindOk) return (null, $"kind '{Value(q, "kind")}' should be a fault kind such as xid or ecc, or xid:N");
        string? rack = Value(q, "rack"), @switch = Value(q, "switch");
        var nodes = rack is null && @switch is null ? null : topology.NodesIn(rack, @switch);
        return (new FleetQuery(status, kind, xid, nodes, Value(q, "q"), limit, Value(q, "after")), null);
    }

    public async Task<FleetPage> RunAsync(IQuerySession session, CancellationToken ct)
    {
        var table = $"{session.DocumentStore.Options.DatabaseSchemaName}.mt_doc_nodestate";
        var (where, args) = Filter(withStatus: false);
        var counts = await session.QueryAsync<StatusCount>(
            $"select json_build_object('status', status, 'count', count(*)) from {table} where {where} group by status",
            ct, [.. args]);

        var (pageWhere, pageArgs) = Filter(withStatus: true);
        if (After is not null)
        {
            pageWhere += " and id > ?";
            pageArgs.Add(After);
        }
        pageArgs.Add(Limit + 1);
        var rows = await session.QueryAsync<NodeState>($"select data from {table} where {pageWhere} order by id limit ?", ct, [.. pageArgs]);
        var items = rows.Take(Limit).ToList();
        var next = rows.Count > Limit ? items[^1].Id : null;
        return new FleetPage(items, next, Enum.GetValues<NodeStatus>().ToDictionary(
            st => st.ToString(), st => counts.FirstOrDefault(c => c.Status == st.ToString())?.Count ?? 0));
    }

    private (string Where, List<object> Args) Filter(bool withStatus)
    {
        var clauses = new List<string> { "true" };
        var args = new List<object>();
        if (withStatus && Status is { } status)
        {
            clauses.Add("status = ?");
            args.Add(status.ToString());
        }
        if (Kind is not null)
        {
            clauses.Add("data->'incident'->>'kind' = ?");
            args.Add(Kind);
        }
        if (Xid is { } xid)
        {
            clauses.Add("data->'incident'->>'xid' = ?");
            args.Add(xid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (Nodes is not null)
        {
            clauses.Add("id = any(?)");
            args.Add(Nodes.ToArray());
        }
        if (Search is not null)
        {
            // strpos, not LIKE: a node id holding % or _ is searched for as written.
            clauses.Add("strpos(lower(id), lower(?)) > 0");
            args.Add(Search);
        }
        return (string.Join(" and ", clauses), args);
    }

    /// <summary><c>ecc</c> is a kind; <c>xid:79</c> is kind xid with Xid 79, the way the stats name faults.</summary>
    private static (string? Kind, int? Xid, bool Ok) KindOf(string? value)
    {
        if (value is null) return (null, null, true);
        var colon = value.IndexOf(':');
        if (colon < 0) return (value, null, true);
        return int.TryParse(value[(colon + 1)..], out var xid) ? (value[..colon], xid, true) : (null, null, false);
    }

    private static string? Value(IQueryCollection q, string key) =>
        q.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;

    private sealed record StatusCount(string Status, int Count);
}

/// <summary>A page of nodes, the cursor for the next one (null on the last page) and the fleet's counts by state.</summary>
public sealed record FleetPage(IReadOnlyList<NodeState> Items, string? Next, IReadOnlyDictionary<string, int> Counts);
