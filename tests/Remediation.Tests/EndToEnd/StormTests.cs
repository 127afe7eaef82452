using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Contracts;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>Storm sense on the real pipeline: a switch's worth of link faults and a fleet-wide Xid.</summary>
public sealed class StormTests(Servers servers) : ServiceTests(servers)
{
    private static readonly string TopologyFile = WriteTopology();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storm:TopologyFile"] = TopologyFile,
        ["Storm:FabricNodes"] = "4",
        ["Storm:XidNodes"] = "3",
    };

    [Fact]
    public async Task Link_faults_under_one_switch_become_one_fabric_incident_and_later_nodes_are_left_alone()
    {
        var nodes = Enumerable.Range(1, 6).Select(i => $"leaf7-node-{i}").ToList();
        await using var agents = await Service.StartAgentsAsync(nodes, _ => true);
        foreach (var node in nodes)
        {
            await Service.PublishAsync(Faults.Of(node, FaultKinds.LinkDown, "mlx5_0/1"));
            await Service.WaitForNodeAsync(node, n => n.GetProperty("version").GetInt64() >= 1);
        }

        var storms = await Service.Http.GetFromJsonAsync<List<JsonElement>>("/api/storms");
        var storm = Assert.Single(storms!);
        Assert.Equal("switch:leaf-7", storm.GetProperty("group").GetString());
        Assert.Equal(nodes.Take(4), storm.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        foreach (var node in nodes.Skip(3))
        {
            var joined = Assert.Single(await Service.TimelineAsync(node));
            Assert.Equal(storm.GetProperty("incidentId").GetString(), joined.Data.GetProperty("stormId").GetString());
            Assert.EndsWith("no node action", joined.Data.GetProperty("reason").GetString());
            // Only watched: the join opened the node's incident (Observing, the fault's kind), nothing is done to it.
            Assert.True(ServiceUnderTest.Is(await Service.NodeAsync(node), "Observing"));
            var incident = Assert.Single(await Service.Http.GetFromJsonAsync<List<JsonElement>>($"/api/incidents?node={node}") ?? []);
            Assert.Equal((joined.Data.GetProperty("incidentId").GetString(), FaultKinds.LinkDown),
                (incident.GetProperty("id").GetString(), incident.GetProperty("kind").GetString()));
        }
    }

    [Fact]
    public async Task One_xid_on_many_nodes_stops_automation_and_asks_a_human()
    {
        var nodes = Enumerable.Range(1, 4).Select(i => $"xid-node-{i}").ToList();
        await using var agents = await Service.StartAgentsAsync(nodes, _ => true);
        foreach (var node in nodes)
        {
            await Service.PublishAsync(Faults.Xid(node, 48));
            await Service.WaitForNodeAsync(node, n => n.GetProperty("version").GetInt64() >= 1);
        }

        foreach (var node in nodes.Skip(2))
        {
            var state = await Service.WaitForNodeAsync(node, n => ServiceUnderTest.Is(n, "NeedsHuman"));
            Assert.Equal("NeedsHuman", state.GetProperty("status").GetString());
        }
        var storm = Assert.Single(await Service.Http.GetFromJsonAsync<List<JsonElement>>("/api/storms") ?? []);
        Assert.False(storm.GetProperty("fabric").GetBoolean());
        Assert.Contains("likely a driver or firmware bug", storm.GetProperty("reason").GetString());
    }

    private static string WriteTopology()
    {
        var path = Path.Combine(Path.GetTempPath(), $"topology-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["node,rack,switch", .. Enumerable.Range(1, 6).Select(i => $"leaf7-node-{i},rack-{i},leaf-7")]);
        return path;
    }
}
