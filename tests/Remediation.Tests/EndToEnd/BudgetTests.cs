using System.Net.Http.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>The fleet budget on the real pipeline: a second reboot waits for the first, then runs.</summary>
public sealed class BudgetTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Budget:MaxDisruptive"] = "1" };

    [Fact]
    public async Task Over_budget_a_disruptive_step_is_deferred_and_runs_when_the_budget_frees()
    {
        // gpu-node-b1's reboot holds the budget of one until gpu-node-b2 has been made to wait for it.
        using var b2Deferred = new ManualResetEventSlim();
        await using var agents = await Service.StartAgentsAsync(["gpu-node-b1", "gpu-node-b2"], step =>
        {
            if (step.NodeId == "gpu-node-b1" && step.Action == "reboot") b2Deferred.Wait(TimeSpan.FromSeconds(30));
            return true;
        });
        await Service.PublishAsync(Faults.Xid("gpu-node-b1", 79));
        await Service.WaitForNodeAsync("gpu-node-b1", n => n.GetProperty("incident").ValueKind != System.Text.Json.JsonValueKind.Null
            && n.GetProperty("incident").GetProperty("pending").ValueKind != System.Text.Json.JsonValueKind.Null);
        await Service.PublishAsync(Faults.Xid("gpu-node-b2", 79));
        for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until && !b2Deferred.IsSet; await Task.Delay(100))
            if (await DeferredAsync("gpu-node-b2")) b2Deferred.Set();
        Assert.True(b2Deferred.IsSet, "gpu-node-b2 never waited for the budget while gpu-node-b1 rebooted");

        await Service.WaitForNodeAsync("gpu-node-b1", n => ServiceUnderTest.IsIdle(n, "Healthy"));
        await Service.WaitForNodeAsync("gpu-node-b2", n => ServiceUnderTest.IsIdle(n, "Healthy"));

        var second = await Service.TimelineAsync("gpu-node-b2");
        // Its quarantine (out of service or disruptive) or its reboot waits for gpu-node-b1.
        var deferred = second.Where(e => e.Type == "ActionDeferred").ToList();
        Assert.All(deferred, d => Assert.StartsWith("fleet budget: 1 of 1 nodes allowed ", d.Data.GetProperty("reason").GetString()));
        var types = second.Select(e => e.Type).ToList();
        Assert.True(types.IndexOf("ActionDeferred") < types.IndexOf("StepDispatched"), $"gpu-node-b2 dispatched a step before it waited: {string.Join(", ", types)}");
    }

    /// <summary>Whether the node has had a step deferred; a node with no stream yet has not.</summary>
    private async Task<bool> DeferredAsync(string node)
    {
        var timeline = await Service.Http.GetAsync($"/api/nodes/{node}/timeline");
        return timeline.IsSuccessStatusCode && (await timeline.Content.ReadFromJsonAsync<List<TimelineEntry>>())!.Any(e => e.Type == "ActionDeferred");
    }
}
