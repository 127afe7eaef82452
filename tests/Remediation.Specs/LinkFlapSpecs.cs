using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;
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
        // The flapping port is up between flaps and carries the jobs' traffic: quarantine first, then bounce.
        Assert.Equal(StepActions.Cordon, outcome.Single<StepDispatched>().Action);

        var bounce = Given(outcome.Stream).When(Ok(Command("link-flap-recovery", "quarantine-node")))
            .ThenTypes(typeof(StepSucceeded), typeof(NodeQuarantined), typeof(StepDispatched)).Single<StepDispatched>();
        Assert.Equal(("link_bounce", Port, "yes"), (bounce.Action, bounce.Args["port"], bounce.Args["quarantined"]));
    }

    [Fact]
    public void Flap_after_the_window_does_not_count_toward_the_threshold()
    {
        var outcome = Given([.. FlapOpened(), FlapCounted("e-2")]).When(Fault(Flap, "e-3"), T0.AddMinutes(11));
        Assert.Empty(outcome.Events.OfType<RunbookStarted>());
        Assert.Equal(NodeStatus.Observing, outcome.State.Status);
    }

    [Fact]
    public void Link_down_bounces_the_dead_port_at_once_without_a_quarantine()
    {
        var outcome = Given().When(Fault(FaultKinds.LinkDown)).ThenStatus(NodeStatus.Remediating);
        var bounce = outcome.Single<StepDispatched>();
        Assert.Equal(("link_bounce", "no"), (bounce.Action, bounce.Args["quarantined"]));
        Assert.False(outcome.State.Incident!.Cordoned);
    }

    [Fact]
    public void A_bounce_counts_against_the_budget_for_disruptive_steps()
    {
        var full = new FleetBudget(Disruptive: 5, MaxDisruptive: 5, OutOfService: 0, MaxOutOfService: 5);

        var deferred = Given().When(Fault(FaultKinds.LinkDown), budget: full).Single<ActionDeferred>();

        Assert.Equal(("link_bounce", "policy:fleet-budget"), (deferred.Action, deferred.CausedBy));
        Assert.Contains(StepActions.LinkBounce, FleetBudget.DisruptiveActions);
    }

    [Fact]
    public void The_flapping_port_is_given_back_once_it_checks_out()
    {
        var started = Given([.. FlapOpened(), FlapCounted("e-2")]).When(Fault(Flap, "e-3"), T0.AddMinutes(2)).Stream;
        var stream = Given(started).When(Ok(Command("link-flap-recovery", "quarantine-node"))).Stream;
        stream = Given(stream).When(Ok(Command("link-flap-recovery", "bounce-port"))).Stream;

        var verified = Given(stream).When(Ok(Command("link-flap-recovery", "check-port"))).Single<StepDispatched>();

        Assert.Equal(StepActions.Uncordon, verified.Action);
    }
}
