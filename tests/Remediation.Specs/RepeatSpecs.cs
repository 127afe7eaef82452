namespace Remediation.Specs;

/// <summary>Redelivered and repeated faults: never acted on twice, never flooding the stream, climbing when they recur.</summary>
public sealed class RepeatSpecs
{
    [Fact]
    public void Duplicate_event_id_is_ignored_and_nothing_else_happens()
    {
        var outcome = Given(Histories.ResetInFlight()).When(Xid(48, eventId: "e-1")).Then(
            new FaultIgnored(Node, "e-1", "duplicate eventId: already recorded and acted on", T1, $"agent:kmsg@{Node}"));
        Assert.Equal(Command("gpu-reset", "reset-gpu"), outcome.State.Incident?.Pending?.CommandId);
        Assert.Null(outcome.Decision.CoalescedFingerprint);
    }

    [Fact]
    public void Duplicate_event_id_of_a_recorded_only_fault_is_ignored()
    {
        var first = Given().When(Xid(13, eventId: "e-1"));
        Given(first.Stream).When(Xid(13, eventId: "e-1"), T0.AddHours(1)).ThenTypes(typeof(FaultIgnored)).ThenStatus(NodeStatus.Healthy);
    }

    [Fact]
    public void Same_fault_while_remediating_within_the_coalesce_window_is_coalesced()
    {
        var outcome = Given(Histories.ResetInFlight()).When(Xid(48), T0.AddSeconds(29)).Then();
        Assert.Equal(XidFingerprint(48), outcome.Decision.CoalescedFingerprint);
        Assert.Equal(NodeStatus.Remediating, outcome.State.Status);
    }

    [Fact]
    public void Same_fault_while_remediating_after_the_coalesce_window_is_recorded_again()
    {
        var reported = Given(Histories.ResetInFlight()).When(Xid(48), T0.AddSeconds(30))
            .ThenTypes(typeof(FaultReported)).ThenStatus(NodeStatus.Remediating).Single<FaultReported>();
        Assert.Equal((Incident(), "node is Remediating: recorded, no new action"), (reported.IncidentId, reported.Disposition));
    }

    [Fact]
    public void Repeat_of_a_resolved_fault_within_the_repeat_window_climbs_one_rung()
    {
        var outcome = Given(Histories.ResetResolved).When(Xid(48), T0.AddHours(23))
            .ThenTypes(typeof(FaultReported), typeof(IncidentOpened), typeof(RunbookStarted), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating);
        var started = outcome.Single<RunbookStarted>();
        Assert.Equal(("driver-reload", Incident(2)), (started.Runbook, started.IncidentId));
        Assert.StartsWith($"repeat of {XidFingerprint(48)}", started.Reason);
        Assert.Equal(Outcome.Show(QuarantineDispatched("driver-reload", T0.AddHours(23), incident: 2)), Outcome.Show(outcome.Single<StepDispatched>()));
    }

    [Fact]
    public void Repeat_after_the_repeat_window_starts_at_the_bottom_again()
    {
        var started = Given(Histories.ResetResolved).When(Xid(48), T0.AddHours(25)).Single<RunbookStarted>();
        Assert.Equal(("gpu-reset", Incident(2)), (started.Runbook, started.IncidentId));
    }

    [Fact]
    public void Different_fault_after_a_resolved_incident_does_not_climb()
    {
        var started = Given(Histories.ResetResolved).When(Xid(119), T0.AddHours(1)).Single<RunbookStarted>();
        Assert.Equal("gpu-reset", started.Runbook);
    }
}
