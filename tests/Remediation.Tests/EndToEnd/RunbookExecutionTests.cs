using Remediation.Contracts;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

public sealed class RunbookExecutionTests(Servers servers) : ServiceTests(servers)
{
    [Fact]
    public async Task Raw_json_xid79_runs_its_runbook_to_the_end_and_the_timeline_shows_each_transition()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-079"], _ => true);
        await Service.PublishRawAsync("""
            {"eventId":"6f1c0c52-79","nodeId":"gpu-node-079","kind":"xid","xid":79,"device":"PCI:0000:3b:00",
             "message":"NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
             "observedAt":"2026-11-25T10:00:00Z","source":"kmsg","cluster":"train-a"}
            """);

        await Service.WaitForNodeAsync("gpu-node-079", n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 1);

        var timeline = await Service.TimelineAsync("gpu-node-079");
        // Approved, quarantined (no scheduler here, and the timeline says so), evidence collected, rebooted, verified, given back.
        Assert.Equal(
            ["FaultReported", "IncidentOpened", "RunbookStarted", "ApprovalRequested", "ApprovalGranted", "StepDispatched",
             "StepSucceeded", "NodeQuarantined", "StepDispatched", "StepSucceeded", "EvidenceCollected", "StepDispatched", "StepSucceeded",
             "StepDispatched", "StepSucceeded", "VerificationPassed", "StepDispatched", "StepSucceeded", "NodeReturnedToService", "IncidentResolved"],
            timeline.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, timeline.Count).Select(i => (long)i), timeline.Select(e => e.Sequence));
        Assert.Equal("reboot", timeline[2].Data.GetProperty("runbook").GetString());
        Assert.Equal(["cordon", "collect_evidence", "reboot", "node_health", "uncordon"],
            timeline.Where(e => e.Type == "StepDispatched").Select(e => e.Data.GetProperty("action").GetString()));
        Assert.StartsWith("no scheduler configured", timeline[7].Data.GetProperty("scheduler").GetString());
        Assert.Equal("agent:kmsg@gpu-node-079", timeline[0].Data.GetProperty("causedBy").GetString());
    }

    [Fact]
    public async Task Failed_reset_escalates_up_the_ladder_and_exhausted_automation_needs_a_human()
    {
        // cordon succeeds but every repair fails, so the node climbs reset -> reload -> reboot -> cordon+RMA, and
        // then the RMA ticket cannot be opened either: nothing automatic is left.
        await using var agents = await Service.StartAgentsAsync(["gpu-node-048"], step => step.Action == "cordon");
        await Service.PublishAsync(Faults.Xid("gpu-node-048", 48));

        await Service.WaitForNodeAsync("gpu-node-048", n => ServiceUnderTest.Is(n, "NeedsHuman"));

        var timeline = await Service.TimelineAsync("gpu-node-048");
        var escalations = timeline.Where(e => e.Type == "RunbookEscalated")
            .Select(e => $"{e.Data.GetProperty("fromRunbook").GetString()}->{e.Data.GetProperty("toRunbook").GetString()}");
        Assert.Equal(["gpu-reset->driver-reload", "driver-reload->reboot", "reboot->cordon-and-rma"], escalations);
        Assert.Equal(2, timeline.Count(e => e.Type == "StepFailed" && e.Data.GetProperty("action").GetString() == "gpu_reset"));
        Assert.Contains(timeline, e => e.Type == "NodeCordoned");
        Assert.Equal("HandedToHuman", timeline[^1].Type);
        Assert.Contains("automation exhausted", timeline[^1].Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Duplicate_event_id_is_recorded_as_ignored_and_acted_on_once()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-dup"], _ => true);
        var fault = Faults.Xid("gpu-node-dup", 119, eventId: "dup-1");
        await Service.PublishAsync(fault, fault);

        await Service.WaitForNodeAsync("gpu-node-dup", n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 1);

        var timeline = await Service.TimelineAsync("gpu-node-dup");
        Assert.Single(timeline, e => e.Type == "IncidentOpened");
        Assert.Single(timeline, e => e.Type == "RunbookStarted");
        var ignored = Assert.Single(timeline, e => e.Type == "FaultIgnored");
        Assert.Equal("dup-1", ignored.Data.GetProperty("eventId").GetString());
    }

    [Fact]
    public async Task Repeats_while_remediating_are_counted_in_one_event()
    {
        // No agent answers, so the reset stays in flight and every repeat changes nothing.
        var faults = Enumerable.Range(0, 50).Select(_ => Faults.Xid("gpu-node-rep", 48)).ToArray();
        await Service.PublishAsync(faults);

        await Service.WaitForNodeAsync("gpu-node-rep", n => ServiceUnderTest.Is(n, "Remediating"));
        var timeline = await WaitForRepeatsAsync("gpu-node-rep", 49);

        Assert.Single(timeline, e => e.Type == "FaultReported");
        Assert.Equal(49, timeline.Where(e => e.Type == "FaultRepeated").Sum(e => e.Data.GetProperty("count").GetInt32()));
    }

    private async Task<List<TimelineEntry>> WaitForRepeatsAsync(string node, int expected)
    {
        for (var i = 0; i < 100; i++)
        {
            var timeline = await Service.TimelineAsync(node);
            if (timeline.Where(e => e.Type == "FaultRepeated").Sum(e => e.Data.GetProperty("count").GetInt32()) >= expected) return timeline;
            await Task.Delay(100);
        }
        return await Service.TimelineAsync(node);
    }
}
