using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>The fleet budget on the real pipeline: a second reboot waits for the first, then runs.</summary>
public sealed class BudgetTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Budget:MaxDisruptive"] = "1" };

    [Fact]
    public async Task Over_budget_a_disruptive_step_is_deferred_and_runs_when_the_budget_frees()
    {
        // gpu-node-b1's reboot takes a while, so gpu-node-b2's reboot finds the budget of one taken.
        await using var agents = await Service.StartAgentsAsync(["gpu-node-b1", "gpu-node-b2"], step =>
        {
            if (step.NodeId == "gpu-node-b1" && step.Action == "reboot") Thread.Sleep(1500);
            return true;
        });
        await Service.PublishAsync(Faults.Xid("gpu-node-b1", 79));
        await Service.WaitForNodeAsync("gpu-node-b1", n => n.GetProperty("incident").ValueKind != System.Text.Json.JsonValueKind.Null
            && n.GetProperty("incident").GetProperty("pending").ValueKind != System.Text.Json.JsonValueKind.Null);
        await Service.PublishAsync(Faults.Xid("gpu-node-b2", 79));

        await Service.WaitForNodeAsync("gpu-node-b1", n => ServiceUnderTest.IsIdle(n, "Healthy"));
        await Service.WaitForNodeAsync("gpu-node-b2", n => ServiceUnderTest.IsIdle(n, "Healthy"));

        var second = await Service.TimelineAsync("gpu-node-b2");
        // Its quarantine (out of service or disruptive) or its reboot waits for gpu-node-b1.
        var deferred = second.Where(e => e.Type == "ActionDeferred").ToList();
        Assert.NotEmpty(deferred);
        Assert.All(deferred, d => Assert.StartsWith("fleet budget: 1 of 1 nodes allowed ", d.Data.GetProperty("reason").GetString()));
        var types = second.Select(e => e.Type).ToList();
        Assert.True(types.IndexOf("ActionDeferred") < types.IndexOf("StepDispatched"));
    }
}
