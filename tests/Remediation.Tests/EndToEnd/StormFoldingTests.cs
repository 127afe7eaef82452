using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// Storm-level folding on the real pipeline: a driver bug's repeats on the nodes its storm holds are counted in the
/// storm's stream, each node's timeline says when the storm took it, when it let go and how many faults it absorbed,
/// and every published fault is accounted for.
/// </summary>
public sealed class StormFoldingTests(Servers servers) : ServiceTests(servers)
{
    private const int Nodes = 6, Repeats = 20;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storm:XidNodes"] = "3",
        ["Storm:Window"] = "00:00:04",
        ["Pipeline:CoalesceFlush"] = "00:00:00.500",
    };

    [Fact]
    public async Task A_driver_bug_storm_folds_each_nodes_repeats_into_the_storm_and_loses_none()
    {
        var nodes = Enumerable.Range(1, Nodes).Select(i => $"fold-node-{i}").ToList();
        foreach (var node in nodes)
        {
            await Service.PublishAsync(Faults.Xid(node, 48));
            await Service.WaitForNodeAsync(node, n => n.GetProperty("version").GetInt64() >= 1);
        }
        await Service.PublishAsync([.. Enumerable.Range(0, Repeats).SelectMany(_ => nodes.Select(node => Faults.Xid(node, 48)))]);

        foreach (var node in nodes) await Service.WaitForNodeAsync(node, n => n.GetProperty("inStorm").ValueKind == JsonValueKind.Null
            && n.GetProperty("version").GetInt64() >= 2, seconds: 30);

        var storm = Assert.Single(await Service.Http.GetFromJsonAsync<List<JsonElement>>("/api/storms") ?? []).GetProperty("incidentId").GetString()!;
        var tallies = await Service.Http.GetFromJsonAsync<List<JsonElement>>($"/api/storms/{storm}/tallies") ?? [];
        var tallied = tallies.SelectMany(t => t.GetProperty("repeats").EnumerateArray())
            .GroupBy(r => r.GetProperty("nodeId").GetString()!).ToDictionary(g => g.Key, g => g.Sum(r => r.GetProperty("count").GetInt64()));
        foreach (var node in nodes)
        {
            var timeline = await Service.TimelineAsync(node);
            var left = Assert.Single(timeline, e => e.Type == "NodeLeftStorm").Data;
            Assert.Equal(storm, left.GetProperty("stormId").GetString());
            Assert.Equal(tallied.GetValueOrDefault(node), left.GetProperty("absorbed").GetInt64());
            Assert.Equal(storm, Assert.Single(timeline, e => e.Type == "NodeJoinedStorm").Data.GetProperty("stormId").GetString());
            // Nothing lost: what the timeline recorded or counted adds up to what was published for the node.
            var accounted = timeline.Count(e => e.Type is "FaultReported" or "FaultIgnored" or "NodeJoinedStorm")
                + timeline.Where(e => e.Type == "FaultRepeated").Sum(e => e.Data.GetProperty("count").GetInt64())
                + left.GetProperty("absorbed").GetInt64();
            Assert.Equal(1 + Repeats, accounted);
        }
        // The nodes the storm took on their first fault have nothing else in their streams: 21 faults, 2 events.
        foreach (var node in nodes.Skip(2))
            Assert.Equal(["NodeJoinedStorm", "NodeLeftStorm"], (await Service.TimelineAsync(node)).Select(e => e.Type));
        Assert.True(tallies.Count < Nodes * Repeats / 4, $"{tallies.Count} tallies for {Nodes * Repeats} repeats: one per flush, not per fault");
    }
}
