using System.Net.Http.Json;
using Remediation.Core.Storms;
using Remediation.Service.Partitions;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>One Xid on many nodes spans partitions: a storm one instance calls holds the other instance's nodes too.</summary>
public sealed class ScaleOutStormTests(Servers servers) : ServiceTests(servers)
{
    private const int Partitions = 16;
    private static readonly PartitionMap Map = new(Partitions, Topology.Empty);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Partitions:Count"] = Partitions.ToString(),
        ["Partitions:Rebalance"] = "00:00:00.500",
        ["Storm:XidNodes"] = "3",
    };

    [Fact]
    public async Task A_driver_bug_called_by_one_instance_holds_the_nodes_of_the_other()
    {
        await using var second = await Service.StartInstanceAsync();
        var held = await Partitioned.BalancedAsync(Partitions, Service.Http, second.Http);
        var candidates = Enumerable.Range(1, 400).Select(i => $"gpu-bug-{i:D3}").ToList();
        var first = candidates.Where(n => held[0].Contains(Map.Of(n))).Take(3).ToList();
        var other = candidates.First(n => held[1].Contains(Map.Of(n)));

        // Three nodes of the first instance make the storm (whichever is decided third calls it); the second instance has seen none.
        await Service.PublishAsync([.. first.Select(n => Faults.Xid(n, 79))]);
        for (var i = 0; i < 200 && !await AnyNeedsHumanAsync(first); i++) await Task.Delay(100);
        Assert.True(await AnyNeedsHumanAsync(first), "the first instance never called the storm");
        await Task.Delay(TimeSpan.FromSeconds(3)); // the second instance reads the storms every couple of seconds

        await Service.PublishAsync(Faults.Xid(other, 79));
        await Service.WaitForNodeAsync(other, n => ServiceUnderTest.Is(n, "NeedsHuman"));
        var timeline = await Service.TimelineAsync(other);
        Assert.StartsWith("storm-xid-79", Assert.Single(timeline, e => e.Type == "NodeJoinedStorm").Data.GetProperty("stormId").GetString());
        Assert.DoesNotContain(timeline, e => e.Type == "StepDispatched");
    }

    private async Task<bool> AnyNeedsHumanAsync(IEnumerable<string> nodes)
    {
        foreach (var node in nodes)
        {
            var state = await Service.Http.GetAsync($"/api/nodes/{node}");
            if (state.IsSuccessStatusCode && ServiceUnderTest.Is(await state.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(), "NeedsHuman")) return true;
        }
        return false;
    }
}
