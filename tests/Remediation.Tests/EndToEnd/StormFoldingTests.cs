using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Cli;
using Remediation.Contracts;
using Remediation.Cli.Commands;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// Storm-level folding on the real pipeline: a driver bug's repeats on the nodes its storm holds are counted in the
/// storm's stream, each node's timeline says when the storm took it, when it let go and how many faults it absorbed,
/// every node it took has its incident, and every published fault is accounted for, once even when delivered twice.
/// </summary>
public sealed class StormFoldingTests(Servers servers) : ServiceTests(servers)
{
    private const int Nodes = 6, Repeats = 20;

    private static readonly string TopologyFile = WriteTopology();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storm:TopologyFile"] = TopologyFile,
        ["Storm:XidNodes"] = "3",
        ["Storm:Window"] = "00:00:04",
        ["Pipeline:CoalesceFlush"] = "00:00:00.500",
    };

    [Fact]
    public async Task A_driver_bug_storm_folds_each_nodes_repeats_into_the_storm_and_loses_none()
    {
        var nodes = Enumerable.Range(1, Nodes).Select(i => $"fold-node-{i}").ToList();
        await StormDriver.CallAsync(Service, nodes, 48);
        await Service.PublishAsync([.. Enumerable.Range(0, Repeats).SelectMany(_ => nodes.Select(node => Faults.Xid(node, 48)))]);

        foreach (var node in nodes) await Service.WaitForNodeAsync(node, n => n.GetProperty("inStorm").ValueKind == JsonValueKind.Null
            && n.GetProperty("version").GetInt64() >= 2, seconds: 30);

        var storm = Assert.Single(await Service.Http.GetFromJsonAsync<List<JsonElement>>("/api/storms") ?? [], s => s.GetProperty("group").GetString() == "xid:48")
            .GetProperty("incidentId").GetString()!;
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
        // The nodes the storm took on their first fault have nothing else in their streams: 21 faults, 2 events (the join,
        // which opened the node's incident and handed it to a human, and the let-go).
        foreach (var node in nodes.Skip(2))
            Assert.Equal(["NodeJoinedStorm", "NodeLeftStorm"], (await Service.TimelineAsync(node)).Select(e => e.Type));
        Assert.True(tallies.Count < Nodes * Repeats / 4, $"{tallies.Count} tallies for {Nodes * Repeats} repeats: one per flush, not per fault");
        // The repeats a flush counted are acknowledged a slice a turn after it commits: every one of them, none left held.
        var held = -1L;
        for (var tries = 0; tries < 40 && held != 0; tries++, await Task.Delay(500))
            held = await Servers.Vhosts.UnacknowledgedAsync(Service.Vhost, Remediation.Service.Bus.BusTopology.FaultsQueue);
        Assert.Equal(0, held);

        // Every node the storm touched is in the incidents, with its fault, and its postmortem reads.
        foreach (var node in nodes)
        {
            var incident = Assert.Single(await Service.Http.GetFromJsonAsync<List<JsonElement>>($"/api/incidents?node={node}") ?? []);
            Assert.Equal((48, "PCI:0000:3b:00"), (incident.GetProperty("xid").GetInt32(), incident.GetProperty("device").GetString()));
            var report = await Service.Http.GetFromJsonAsync<JsonElement>($"/api/incidents/{incident.GetProperty("id").GetString()}");
            Assert.Contains("NVRM: Xid (PCI:0000:3b:00): 48, pid=1234, name=python", report.GetProperty("evidence").EnumerateArray().Select(m => m.GetString()));
        }
        foreach (var node in nodes.Skip(2))
        {
            var report = await Service.Http.GetFromJsonAsync<JsonElement>($"/api/incidents/inc-{node}-1");
            Assert.Equal("needs_human", report.GetProperty("status").GetString());
            // Detected when the agent saw the fault the storm took the node on, not when the incident opened.
            Assert.True(report.GetProperty("detectedAt").GetDateTimeOffset() <= report.GetProperty("openedAt").GetDateTimeOffset());
            Assert.Contains(report.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "NodeJoinedStorm");
        }
    }

    [Fact]
    public async Task Repeats_the_broker_delivers_again_after_their_tally_committed_are_counted_once()
    {
        var nodes = Enumerable.Range(1, 4).Select(i => $"again-node-{i}").ToList();
        await StormDriver.CallAsync(Service, nodes, 79);
        var held = nodes.Skip(2).ToList();
        var repeats = Enumerable.Range(0, Repeats).SelectMany(_ => held.Select(node => Faults.Xid(node, 79))).ToArray();
        await Service.PublishAsync(repeats);
        var storm = (await StormOfAsync(held[0]))!;
        for (var i = 0; i < 300 && await TalliedAsync(storm) < repeats.Length; i++) await Task.Delay(100);
        Assert.Equal(repeats.Length, await TalliedAsync(storm));

        // What a redelivery after the commit looks like to the service: the same faults, the same eventIds, again.
        await Service.PublishAsync(repeats);

        await StormDriver.LetGoAsync(Service, held);
        foreach (var node in held)
        {
            var timeline = await Service.TimelineAsync(node);
            Assert.Equal(Repeats, Assert.Single(timeline, e => e.Type == "NodeLeftStorm").Data.GetProperty("absorbed").GetInt64());
            Assert.DoesNotContain(timeline, e => e.Type == "FaultRepeated");
        }
        Assert.Equal(repeats.Length, await TalliedAsync(storm));
    }

    [Fact]
    public async Task Replay_replays_the_fault_each_node_joined_the_storm_on_and_reports_the_repeats_it_absorbed()
    {
        var nodes = Enumerable.Range(1, 4).Select(i => $"replay-storm-{i}").ToList();
        await StormDriver.CallAsync(Service, nodes, 48);
        var held = nodes.Skip(2).ToList();
        await Service.PublishAsync([.. Enumerable.Range(0, Repeats).SelectMany(_ => held.Select(node => Faults.Xid(node, 48)))]);
        await StormDriver.LetGoAsync(Service, held);

        var output = new StringWriter();
        var args = new CliArgs(["replay", "--runbooks", Repo.Runbooks, "--baseline", Repo.Runbooks, "--since", "1h",
            "--postgres", Servers.Postgres, "--schema", Service.Schema]);
        Assert.Equal(0, await ReplayCommand.RunAsync(args, output, CancellationToken.None));

        Assert.Contains("replay: 4 faults replayed on 4 nodes", output.ToString());
        Assert.Contains($"; {held.Count * Repeats} counted repeat(s) not replayed", output.ToString());
    }

    [Fact]
    public async Task A_fabric_storm_only_watches_the_nodes_it_took_and_closes_their_incidents_when_it_lets_go()
    {
        var nodes = Enumerable.Range(1, 5).Select(i => $"fold-leaf-{i}").ToList();
        foreach (var node in nodes)
        {
            await Service.PublishAsync(Faults.Of(node, FaultKinds.LinkDown, "mlx5_0/1"));
            await Service.WaitForNodeAsync(node, n => n.GetProperty("version").GetInt64() >= 1);
        }
        var held = nodes.Skip(3).ToList();
        await StormDriver.LetGoAsync(Service, held);

        foreach (var node in held)
        {
            Assert.True(ServiceUnderTest.Is(await Service.NodeAsync(node), "Healthy"));
            var incident = Assert.Single(await Service.Http.GetFromJsonAsync<List<JsonElement>>($"/api/incidents?node={node}") ?? []);
            Assert.Equal(FaultKinds.LinkDown, incident.GetProperty("kind").GetString());
            Assert.EndsWith("over: let go after 0 repeat(s)", incident.GetProperty("resolution").GetString());
            var report = await Service.Http.GetFromJsonAsync<JsonElement>($"/api/incidents/{incident.GetProperty("id").GetString()}");
            Assert.Equal("closed", report.GetProperty("status").GetString());
            Assert.Equal(["NodeJoinedStorm", "NodeLeftStorm"], report.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        }
    }

    private static string WriteTopology()
    {
        var path = Path.Combine(Path.GetTempPath(), $"topology-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["node,rack,switch", .. Enumerable.Range(1, 5).Select(i => $"fold-leaf-{i},rack-{i},leaf-9")]);
        return path;
    }

    private async Task<string?> StormOfAsync(string node) =>
        (await Service.TimelineAsync(node)).Single(e => e.Type == "NodeJoinedStorm").Data.GetProperty("stormId").GetString();

    private async Task<long> TalliedAsync(string storm) =>
        (await Service.Http.GetFromJsonAsync<List<JsonElement>>($"/api/storms/{storm}/tallies") ?? [])
            .Sum(t => t.GetProperty("absorbed").GetInt64());
}
