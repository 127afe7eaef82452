using System.Net;
using System.Text.Json;
using System.Net.Http.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>Operators stop automation: the global pause, holding and releasing a node.</summary>
public sealed class ControlTests(Servers servers) : ServiceTests(servers)
{
    [Fact]
    public async Task Pause_records_decisions_but_executes_nothing_until_resumed()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-pause"], _ => true);
        var paused = await Service.PostAsync("/api/automation/pause", new { reason = "fabric maintenance" });
        Assert.Equal(HttpStatusCode.OK, paused.Status);

        await Service.PublishAsync(Faults.Xid("gpu-node-pause", 48));
        await Service.WaitForNodeAsync("gpu-node-pause", n => ServiceUnderTest.Is(n, "Remediating")
            && n.GetProperty("incident").GetProperty("deferred").ValueKind == JsonValueKind.Object);
        Assert.Equal(0, agents.StepsRun);
        var deferred = Assert.Single(await Service.TimelineAsync("gpu-node-pause"), e => e.Type == "ActionDeferred");
        Assert.Equal("automation paused by tester: fabric maintenance", deferred.Data.GetProperty("reason").GetString());

        var resumed = await Service.PostAsync("/api/automation/resume", new { reason = "done" });
        Assert.Equal(HttpStatusCode.OK, resumed.Status);
        await Service.WaitForNodeAsync("gpu-node-pause", n => ServiceUnderTest.IsIdle(n, "Healthy"));
        Assert.True(agents.StepsRun > 0);

        var automation = await Service.Http.GetFromJsonAsync<JsonElement>("/api/automation");
        Assert.False(automation.GetProperty("control").GetProperty("paused").GetBoolean());
        Assert.Equal(["tester", "tester"], automation.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("by").GetString()));
    }

    [Fact]
    public async Task Pause_needs_a_reason()
    {
        var (status, body) = await Service.PostAsync("/api/automation/pause", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("pausing needs a reason", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Hold_takes_a_node_from_automation_and_release_gives_it_back()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-hold"], _ => true);
        var held = await Service.PostAsync("/api/nodes/gpu-node-hold/hold", new { reason = "replacing the NIC" });
        Assert.Equal(HttpStatusCode.OK, held.Status);
        Assert.Equal("NeedsHuman", held.Body.GetProperty("status").GetString());

        await Service.PublishAsync(Faults.Xid("gpu-node-hold", 48));
        await Service.WaitForNodeAsync("gpu-node-hold", n => n.GetProperty("version").GetInt64() >= 2);
        Assert.Equal(0, agents.StepsRun);

        var released = await Service.PostAsync("/api/nodes/gpu-node-hold/release", new { reason = "NIC replaced" });
        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal("Healthy", released.Body.GetProperty("status").GetString());
        var timeline = await Service.TimelineAsync("gpu-node-hold");
        Assert.Equal(["NodeHeld", "FaultReported", "NodeReleased"], timeline.Select(e => e.Type));
        Assert.Equal("operator:tester", timeline[2].Data.GetProperty("causedBy").GetString());
    }

    [Fact]
    public async Task Releasing_a_node_that_does_not_need_a_human_is_409_and_unknown_is_404()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-busy"], _ => true);
        await Service.PublishAsync(Faults.Xid("gpu-node-busy", 119));
        await Service.WaitForNodeAsync("gpu-node-busy", n => ServiceUnderTest.IsIdle(n, "Healthy"));

        var busy = await Service.PostAsync("/api/nodes/gpu-node-busy/release", new { reason = "why not" });
        Assert.Equal(HttpStatusCode.Conflict, busy.Status);
        Assert.Contains("only a NeedsHuman node can be released", busy.Body.GetProperty("detail").GetString());

        var unknown = await Service.PostAsync("/api/nodes/gpu-node-never/release", new { reason = "?" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);

        var bad = await Service.PostAsync("/api/nodes/bad;node/hold", new { reason = "?" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }
}

/// <summary>Shadow mode decides and records what would run, and executes nothing.</summary>
public sealed class ShadowModeTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Decider:Shadow"] = "true" };

    [Fact]
    public async Task Shadow_mode_records_the_step_it_would_run_and_sends_nothing()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-shadow"], _ => true);
        await Service.PublishAsync(Faults.Xid("gpu-node-shadow", 48));

        await Service.WaitForNodeAsync("gpu-node-shadow", n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 1);

        var timeline = await Service.TimelineAsync("gpu-node-shadow");
        var shadowed = Assert.Single(timeline, e => e.Type == "StepShadowed");
        Assert.Equal("gpu_reset", shadowed.Data.GetProperty("action").GetString());
        Assert.DoesNotContain(timeline, e => e.Type == "StepDispatched");
        Assert.Equal(0, agents.StepsRun);
    }
}
