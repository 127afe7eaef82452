using Remediation.Core.Nodes.Deciding;
using static Remediation.Specs.Support.SxidInputs;

namespace Remediation.Specs;

/// <summary>
/// NVSwitch SXids, as NVIDIA's Fabric Manager guide sorts them: non-fatal ones are watched for a rate, fatal ones
/// start the fabric ladder (restart Fabric Manager, reboot, cordon and RMA), and every link of one NVSwitch is one fault.
/// </summary>
public sealed class SxidSpecs
{
    private const string By = $"agent:fabricmanager@{Node}";

    [Fact]
    public void Fatal_sxid_opens_one_incident_for_the_nvswitch_and_restarts_fabric_manager()
    {
        var outcome = Given().When(FatalLinkDown(63))
            .ThenTypes(typeof(FaultReported), typeof(IncidentOpened), typeof(RunbookStarted), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating);
        Assert.Equal((SwitchFingerprint(Switch0), Switch0), (outcome.Single<IncidentOpened>().Fingerprint, outcome.Single<IncidentOpened>().Device));
        Assert.Equal(new RunbookStarted(Node, Incident(), "fabric-manager-restart", $"fatal SXid 20034 on NVSwitch {Switch0}", T1, "rule:router"),
            outcome.Single<RunbookStarted>());
        Assert.Equal(("fabric_manager_restart", "restart-fabric-manager"), (outcome.Single<StepDispatched>().Action, outcome.Single<StepDispatched>().Step));
    }

    [Fact]
    public void The_record_keeps_the_sxid_its_link_and_the_drivers_verdict_for_the_timeline_and_replays()
    {
        var reported = Given().When(FatalLinkDown(63)).Single<FaultReported>();

        Assert.Equal((FaultKinds.Sxid, (int?)20034, (int?)63, (bool?)true), (reported.Kind, reported.Sxid, reported.Link, reported.Fatal));
    }

    [Fact]
    public void Another_link_of_the_same_nvswitch_is_part_of_that_fault_not_a_new_incident()
    {
        var first = Given().When(FatalLinkDown(63));

        var second = Given(first.Stream).When(FatalLinkDown(62, "e-3"), T1.AddSeconds(1));

        Assert.Empty(second.Events);
        Assert.Equal(SwitchFingerprint(Switch0), second.Decision.CoalescedFingerprint);
        Assert.Equal((NodeStatus.Remediating, Incident()), (second.State.Status, second.State.Incident?.Id));
    }

    [Fact]
    public void Non_fatal_sxid_is_recorded_and_watched()
    {
        var opened = Given().When(DlreqInterrupt(55)).ThenTypes(typeof(FaultReported), typeof(IncidentOpened))
            .ThenStatus(NodeStatus.Observing).Single<IncidentOpened>();
        Assert.Equal((true, T1.AddHours(1), SwitchFingerprint(Switch3)), (opened.Observing, opened.ObserveUntil, opened.Fingerprint));
    }

    [Fact]
    public void Links_of_one_nvswitch_reporting_in_the_same_instant_count_once_toward_the_rate()
    {
        var first = Given().When(DlreqInterrupt(55));

        var sameBurst = Given(first.Stream).When(DlreqInterrupt(54, "e-3"), T1.AddSeconds(1));
        var later = Given(first.Stream).When(DlreqInterrupt(54, "e-3"), T1.AddSeconds(6));

        Assert.Empty(sameBurst.Events);
        Assert.Equal(SwitchFingerprint(Switch3), sameBurst.Decision.CoalescedFingerprint);
        Assert.Equal("observing: 2 of 10 within 01:00:00", later.Single<FaultReported>().Disposition);
    }

    [Fact]
    public void Tenth_non_fatal_burst_within_the_hour_restarts_fabric_manager()
    {
        var stream = Given().When(DlreqInterrupt(55)).Stream;
        for (var n = 2; n <= 9; n++)
            stream = Given(stream).When(DlreqInterrupt(n % 2 == 0 ? 54 : 51, $"e-{n + 1}"), T1.AddMinutes(n)).Stream;

        var outcome = Given(stream).When(DlreqInterrupt(50, "e-11"), T1.AddMinutes(30))
            .ThenTypes(typeof(FaultReported), typeof(RunbookStarted), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating);
        Assert.Equal("threshold reached: 10 of 10 within 01:00:00", outcome.Single<FaultReported>().Disposition);
        Assert.Equal("fabric-manager-restart", outcome.Single<RunbookStarted>().Runbook);
    }

    [Fact]
    public void A_fatal_sxid_while_non_fatal_ones_are_watched_restarts_fabric_manager_at_once()
    {
        var watching = Given().When(DlreqInterrupt(55));

        var outcome = Given(watching.Stream).When(FatalLinkDown(63, "e-3"), T1.AddMinutes(5))
            .ThenTypes(typeof(IncidentResolved), typeof(FaultReported), typeof(IncidentOpened), typeof(RunbookStarted), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating);

        Assert.Equal($"superseded by {SwitchFingerprint(Switch0)}", outcome.Single<IncidentResolved>().Resolution);
        Assert.Equal("fabric-manager-restart", outcome.Single<RunbookStarted>().Runbook);
    }

    [Fact]
    public void Fabric_manager_restart_waits_while_the_fleet_budget_for_disruptive_steps_is_spent()
    {
        var outcome = Given().When(FatalLinkDown(63), budget: new FleetBudget(5, 5, 0, 10));

        Assert.Empty(outcome.Events.OfType<StepDispatched>());
        Assert.Contains("fleet budget: 5 of 5 nodes allowed in disruptive steps", outcome.Single<ActionDeferred>().Reason);
    }

    [Fact]
    public void Sxid_the_driver_gave_no_verdict_is_taken_as_fatal()
    {
        var outcome = Given().When(SoeHalted()).ThenStatus(NodeStatus.Remediating);
        Assert.Equal("fabric-manager-restart", outcome.Single<RunbookStarted>().Runbook);
    }

    [Theory]
    [InlineData(10003)]
    [InlineData(22011)]
    [InlineData(23017)]
    public void Always_fatal_sxid_goes_straight_to_rebooting_the_host(int sxid)
    {
        var outcome = Given().When(Numbered(sxid, fatal: true)).ThenStatus(NodeStatus.AwaitingApproval);
        Assert.Equal("reboot", outcome.Single<RunbookStarted>().Runbook);
    }

    [Fact]
    public void Fabric_manager_restart_failing_twice_escalates_to_a_reboot()
    {
        var started = Given().When(FatalLinkDown(63));
        var retried = Given(started.Stream).When(Failed(started.Single<StepDispatched>().CommandId), T1.AddMinutes(1));

        var outcome = Given(retried.Stream).When(Failed(retried.Single<StepDispatched>().CommandId), T1.AddMinutes(2));

        var escalated = outcome.Single<RunbookEscalated>();
        Assert.Equal(("fabric-manager-restart", "reboot"), (escalated.FromRunbook, escalated.ToRunbook));
        Assert.Equal(NodeStatus.AwaitingApproval, outcome.State.Status);
    }

    [Fact]
    public void Fabric_manager_reporting_a_fatal_nvswitch_error_restarts_it()
    {
        var outcome = Given().When(FabricManagerLog("detected NVSwitch fatal error 20034")).ThenStatus(NodeStatus.Remediating);
        Assert.Equal(("fabric-manager-restart", "fabric_manager_restart"),
            (outcome.Single<RunbookStarted>().Runbook, outcome.Single<StepDispatched>().Action));
        Assert.Equal(("fabric_manager:-:-", By), (outcome.Single<FaultReported>().Fingerprint, outcome.Single<FaultReported>().CausedBy));
    }
}
