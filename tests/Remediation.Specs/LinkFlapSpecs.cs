namespace Remediation.Specs;

/// <summary>One link flap is noise; three within ten minutes bounce the port.</summary>
public sealed class LinkFlapSpecs
{
    private const string Flap = FaultKinds.LinkFlap;

    [Fact]
    public void One_flap_opens_an_incident_and_observes()
    {
        var opened = Given().When(Fault(Flap)).ThenTypes(typeof(FaultReported), typeof(IncidentOpened))
            .ThenStatus(NodeStatus.Observing).Single<IncidentOpened>();
        Assert.Equal((true, T1.AddMinutes(10), $"link_flap:-:{Port}"), (opened.Observing, opened.ObserveUntil, opened.Fingerprint));
    }

    [Fact]
    public void Quiet_window_resolves_the_flap_as_dampened()
    {
        Given(FlapOpened()).When(Tick, T0.AddMinutes(10)).Then(
            new IncidentResolved(Node, Incident(), "dampened: 1 fault(s) stayed below the threshold", T0.AddMinutes(10), "rule:dampening"))
            .ThenStatus(NodeStatus.Healthy);
    }

    [Fact]
    public void Tick_inside_the_window_keeps_observing()
    {
        Given(FlapOpened()).When(Tick, T0.AddMinutes(9)).Then().ThenStatus(NodeStatus.Observing);
    }

    [Fact]
    public void Second_flap_is_counted_and_still_observed()
    {
        var reported = Given(FlapOpened()).When(Fault(Flap)).ThenTypes(typeof(FaultReported)).ThenStatus(NodeStatus.Observing)
            .Single<FaultReported>();
        Assert.Equal((Incident(), "observing: 2 of 3 within 00:10:00"), (reported.IncidentId, reported.Disposition));
    }

    [Fact]
    public void Third_flap_within_the_window_starts_link_flap_recovery()
    {
        var outcome = Given([.. FlapOpened(), FlapCounted("e-2")]).When(Fault(Flap, "e-3"), T0.AddMinutes(2))
            .ThenTypes(typeof(FaultReported), typeof(RunbookStarted), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating);
        Assert.Equal("link-flap-recovery", outcome.Single<RunbookStarted>().Runbook);
        var bounce = outcome.Single<StepDispatched>();
        Assert.Equal(("link_bounce", Port), (bounce.Action, bounce.Args["port"]));
    }

    [Fact]
    public void Flap_after_the_window_does_not_count_toward_the_threshold()
    {
        var outcome = Given([.. FlapOpened(), FlapCounted("e-2")]).When(Fault(Flap, "e-3"), T0.AddMinutes(11));
        Assert.Empty(outcome.Events.OfType<RunbookStarted>());
        Assert.Equal(NodeStatus.Observing, outcome.State.Status);
    }

    [Fact]
    public void Link_down_bounces_the_port_at_once()
    {
        var outcome = Given().When(Fault(FaultKinds.LinkDown)).ThenStatus(NodeStatus.Remediating);
        Assert.Equal("link_bounce", outcome.Single<StepDispatched>().Action);
    }
}
