using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Core.Storms;
using Remediation.Service.Partitions;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>Three instances of one deployment on one RabbitMQ vhost and one PostgreSQL schema, sharing the work by partition.</summary>
public sealed class ScaleOutTests(Servers servers) : ServiceTests(servers)
{
    private const int Partitions = 16;
    private static readonly PartitionMap Map = new(Partitions, Topology.Empty);
    private static readonly string Runbooks = ShortRebootRunbooks();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Partitions:Count"] = Partitions.ToString(),
        ["Partitions:Rebalance"] = "00:00:00.500",
        ["Runbooks:Directory"] = Runbooks,
        ["Decider:AutoApprove"] = "false",
        // The nodes here share one Xid on purpose; this class is about partitions, not about calling a driver bug.
        ["Storm:XidNodes"] = "1000",
    };

    [Fact]
    public async Task Three_instances_split_the_partitions_and_decide_every_fault_once()
    {
        await using var second = await Service.StartInstanceAsync();
        await using var third = await Service.StartInstanceAsync();
        var held = await Partitioned.BalancedAsync(Partitions, Service.Http, second.Http, third.Http);
        Assert.All(held, h => Assert.InRange(h.Count, 4, 6));

        var nodes = Enumerable.Range(1, 48).Select(i => $"gpu-scale-{i:D2}").ToList();
        await using var agents = await Service.StartAgentsAsync(nodes, _ => true);
        var faults = nodes.Select(n => Faults.Xid(n, 119)).ToList();
        await Service.PublishAsync([.. faults]);

        foreach (var node in nodes) await Service.WaitForNodeAsync(node, n => ServiceUnderTest.IsIdle(n, "Healthy"));
        var dispatched = 0;
        foreach (var node in nodes)
        {
            var timeline = await Service.TimelineAsync(node);
            Assert.Single(timeline, e => e.Type == "FaultReported");
            Assert.Equal(["collect_evidence", "gpu_reset", "gpu_health"], timeline.Where(AgentStep).Select(e => e.Data.GetProperty("action").GetString()));
            Assert.Equal("IncidentResolved", timeline[^1].Type);
            dispatched += timeline.Count(AgentStep);
        }
        Assert.Equal(dispatched, agents.StepsRun);
    }

    [Fact]
    public async Task Stopping_an_instance_hands_its_partitions_to_the_others_and_loses_nothing()
    {
        var second = await Service.StartInstanceAsync();
        await using var third = await Service.StartInstanceAsync();
        await Partitioned.BalancedAsync(Partitions, Service.Http, second.Http, third.Http);
        var nodes = Enumerable.Range(1, 60).Select(i => $"gpu-move-{i:D2}").ToList();
        await using var agents = await Service.StartAgentsAsync(nodes, _ => true);

        await Service.PublishAsync([.. nodes.Take(30).Select(n => Faults.Xid(n, 119))]);
        await second.StopAsync();
        await Service.PublishAsync([.. nodes.Skip(30).Select(n => Faults.Xid(n, 119))]);

        var held = await Partitioned.BalancedAsync(Partitions, Service.Http, third.Http);
        Assert.All(held, h => Assert.Equal(8, h.Count));
        foreach (var node in nodes) await Service.WaitForNodeAsync(node, n => ServiceUnderTest.IsIdle(n, "Healthy"), seconds: 40);
        var total = 0;
        foreach (var node in nodes)
        {
            var timeline = await Service.TimelineAsync(node);
            var dispatched = timeline.Where(e => e.Type == "StepDispatched").Select(e => e.Data.GetProperty("commandId").GetString()).ToList();
            Assert.Single(timeline, e => e.Type == "FaultReported");
            Assert.Equal(dispatched.Distinct(), dispatched);
            total += timeline.Count(AgentStep);
        }
        // Every dispatched step ran exactly once: no step lost in the hand-over, none sent twice by two holders.
        Assert.Equal(total, agents.StepsRun);
    }

    [Fact]
    public async Task An_approval_given_on_an_instance_that_does_not_hold_the_node_is_followed_up_by_the_holder()
    {
        await using var second = await Service.StartInstanceAsync();
        var instances = new[] { Service.Http, second.Http };
        var held = await Partitioned.BalancedAsync(Partitions, instances);
        const string node = "gpu-node-elsewhere";
        var other = instances[held.FindIndex(h => !h.Contains(Map.Of(node)))];

        // Nobody answers the reboot: only the holder, told about the step it did not dispatch, can time it out.
        await Service.PublishAsync(Faults.Xid(node, 79));
        await Service.WaitForNodeAsync(node, n => ServiceUnderTest.Is(n, "AwaitingApproval"));
        var approval = Assert.Single(await other.GetFromJsonAsync<List<JsonElement>>("/api/approvals") ?? []);
        var approved = await other.PostAsync($"/api/approvals/{approval.GetProperty("approvalId").GetString()}/approve", null);
        approved.EnsureSuccessStatusCode();

        var timeline = await Service.TimelineAsync(node);
        for (var i = 0; i < 300 && !timeline.Any(e => e.Type == "StepTimedOut"); i++)
        {
            await Task.Delay(100);
            timeline = await Service.TimelineAsync(node);
        }
        Assert.Single(timeline, e => e.Type == "StepTimedOut");
    }

    /// <summary>The shipped runbooks with a 2 s reboot timeout and no evidence step, so a reboot nobody answers times out within the test.</summary>
    private static string ShortRebootRunbooks()
    {
        var dir = Directory.CreateTempSubdirectory("runbooks-").FullName;
        foreach (var file in Directory.GetFiles(Repo.Runbooks)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        var reboot = Path.Combine(dir, "reboot.yaml");
        // Without the evidence step, which nobody would answer either.
        File.WriteAllText(reboot, File.ReadAllText(reboot)
            .Replace("    action: reboot\n    timeout: 30m", "    action: reboot\n    timeout: 2s").Replace("evidence:\n  timeout: 10m\n", ""));
        return dir;
    }

    // The quarantine and the give-back are the service's own scheduler steps; every other step goes to an agent.
    private static bool AgentStep(TimelineEntry e) =>
        e.Type == "StepDispatched" && e.Data.GetProperty("action").GetString() is not ("cordon" or "uncordon");
}
