using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// A restart in the middle of a storm: the nodes it holds stay in it, their repeats keep counting there, and a node
/// that faults alike after the start joins the same storm instead of a new one.
/// </summary>
public sealed class StormRestartTests(Servers servers) : ServiceTests(servers)
{
    private const int Before = 10, After = 5;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storm:XidNodes"] = "3",
        // Shorter than the storm runs before the restart, so the storm's detection alone no longer keeps it open; long
        // enough that the faults published right after the start come within it on a busy machine.
        ["Storm:Window"] = "00:00:08",
        ["Pipeline:CoalesceFlush"] = "00:00:00.500",
    };

    [Fact]
    public async Task A_storm_holding_nodes_goes_on_under_its_own_id_after_a_restart()
    {
        var nodes = Enumerable.Range(1, 4).Select(i => $"restart-storm-{i}").ToList();
        await StormDriver.CallAsync(Service, nodes, 119);
        var held = nodes.Skip(2).ToList();
        var storm = Assert.Single(await StormsAsync()).GetProperty("incidentId").GetString()!;
        // The storm goes on past a window from its detection: one repeat a second on each node it holds.
        for (var i = 0; i < Before; i++)
        {
            await Service.PublishAsync([.. held.Select(node => Faults.Xid(node, 119))]);
            await Task.Delay(1000);
        }

        await Service.StopServiceAsync();
        await Service.RestartAsync();
        var late = "restart-storm-5";
        await Service.PublishAsync([.. Enumerable.Range(0, After).SelectMany(_ => held.Select(node => Faults.Xid(node, 119))), Faults.Xid(late, 119)]);

        await StormDriver.LetGoAsync(Service, held.Append(late), seconds: 60);
        foreach (var node in held.Append(late))
        {
            var timeline = await Service.TimelineAsync(node);
            Assert.Equal(storm, Assert.Single(timeline, e => e.Type == "NodeJoinedStorm").Data.GetProperty("stormId").GetString());
            var left = Assert.Single(timeline, e => e.Type == "NodeLeftStorm").Data;
            Assert.Equal(storm, left.GetProperty("stormId").GetString());
            // Repeats still uncounted at the stop were not acknowledged: delivered again after the start, counted once.
            Assert.Equal(node == late ? 0 : Before + After, left.GetProperty("absorbed").GetInt64());
            Assert.DoesNotContain(timeline, e => e.Type is "FaultReported" or "FaultRepeated" or "StepDispatched");
        }
        Assert.Single(await StormsAsync());
    }

    private async Task<List<JsonElement>> StormsAsync() => await Service.Http.GetFromJsonAsync<List<JsonElement>>("/api/storms") ?? [];
}
