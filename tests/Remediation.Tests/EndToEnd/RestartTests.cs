using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

public sealed class RestartTests(Servers servers) : ServiceTests(servers)
{
    [Fact]
    public async Task A_step_committed_before_a_restart_reaches_an_agent_that_was_not_listening_then()
    {
        // No agent queue exists yet, so the first StepRequested is dropped by the direct exchange: only the service's
        // re-dispatch of unfinished steps at start-up can deliver it.
        await Service.PublishAsync(Faults.Xid("gpu-node-restart", 119));
        await Service.WaitForNodeAsync("gpu-node-restart", n => ServiceUnderTest.Is(n, "Remediating"));

        await Service.StopServiceAsync();
        await using var agents = await Service.StartAgentsAsync(["gpu-node-restart"], _ => true);
        await Service.RestartAsync();

        await Service.WaitForNodeAsync("gpu-node-restart", n => ServiceUnderTest.IsIdle(n, "Healthy"));
        var timeline = await Service.TimelineAsync("gpu-node-restart");
        var dispatched = timeline.Where(e => e.Type == "StepDispatched").Select(e => e.Data.GetProperty("commandId").GetString()).ToList();
        Assert.Equal(dispatched.Distinct(), dispatched);
        Assert.Equal(dispatched.Count, timeline.Count(e => e.Type == "StepSucceeded"));
        // Quarantine and give-back are the service's own scheduler steps; the rest reached the agent.
        Assert.Equal(dispatched.Count - 2, agents.StepsRun);
        Assert.Equal(2, timeline.Count(e => e.Type == "StepDispatched" && e.Data.GetProperty("action").GetString() is "cordon" or "uncordon"));
        Assert.Equal("IncidentResolved", timeline[^1].Type);
    }
}
