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
        // Three nodes make the storm on the first instance, alone and holding every partition (whichever is decided third calls it).
        var candidates = Enumerable.Range(1, 400).Select(i => $"gpu-bug-{i:D3}").ToList();
        var first = candidates.Take(3).ToList();
        await Service.PublishAsync([.. first.Select(n => Faults.Xid(n, 79))]);
        for (var i = 0; i < 200 && !await AnyNeedsHumanAsync(first); i++) await Task.Delay(100);
        Assert.True(await AnyNeedsHumanAsync(first), "the first instance never called the storm");

        // The storm is committed with the decision that called it. A loop reads the storms other instances called before
        // it decides its first batch, so the second instance, started now, knows this one before it sees any fault.
        await using var second = await Service.StartInstanceAsync();
        var held = await Partitioned.BalancedAsync(Partitions, Service.Http, second.Http);
        var other = candidates.Skip(3).First(n => held[1].Contains(Map.Of(n)));

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
