using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs;

/// <summary>A node InRepair comes back only when its ticket closes, it verifies healthy, and our own cordon is lifted.</summary>
public sealed class RepairSpecs
{
    private static readonly RmaTicketClosed Closed = new(Node, "ticket-system:RMA-7", "GPU 3 replaced");

    [Fact]
    public void Closing_the_ticket_verifies_the_repaired_node()
    {
        var outcome = Given(Histories.InRepair).When(Closed)
            .ThenTypes(typeof(RmaClosed), typeof(StepDispatched)).ThenStatus(NodeStatus.Verifying);
        Assert.Equal(new RmaClosed(Node, Incident(), "ticket RMA-7", "GPU 3 replaced", T1, "ticket-system:RMA-7"), outcome.Single<RmaClosed>());
        var verify = outcome.Single<StepDispatched>();
        Assert.Equal(("node_health", true), (verify.Action, verify.Verification));
    }

    [Fact]
    public void A_healthy_repaired_node_is_uncordoned_then_returned_to_service()
    {
        var verifying = Given(Histories.InRepair).When(Closed);
        var verified = Given(verifying.Stream).When(Ok(Command("cordon-and-rma", "check-repaired-node")), T1.AddMinutes(1))
            .ThenTypes(typeof(StepSucceeded), typeof(VerificationPassed), typeof(StepDispatched));
        Assert.Equal("uncordon", verified.Single<StepDispatched>().Action);

        var returned = Given(verified.Stream).When(Ok(Command("cordon-and-rma", "uncordon-node")), T1.AddMinutes(2))
            .ThenTypes(typeof(StepSucceeded), typeof(NodeReturnedToService), typeof(IncidentResolved))
            .ThenStatus(NodeStatus.Healthy);
        Assert.Null(returned.State.Incident);
    }

    [Fact]
    public void A_repaired_node_that_fails_verification_stays_out_and_goes_to_a_human()
    {
        var verifying = Given(Histories.InRepair).When(Closed);
        Given(verifying.Stream).When(Failed(Command("cordon-and-rma", "check-repaired-node")), T1.AddMinutes(1))
            .ThenTypes(typeof(StepFailed), typeof(VerificationFailed), typeof(HandedToHuman))
            .ThenStatus(NodeStatus.NeedsHuman);
    }

    [Fact]
    public void Uncordon_refused_by_the_scheduler_is_retried_then_handed_to_a_human()
    {
        var verifying = Given(Histories.InRepair).When(Closed);
        var verified = Given(verifying.Stream).When(Ok(Command("cordon-and-rma", "check-repaired-node")), T1.AddMinutes(1));
        var retried = Given(verified.Stream).When(Failed(Command("cordon-and-rma", "uncordon-node")), T1.AddMinutes(2))
            .ThenTypes(typeof(StepFailed), typeof(StepDispatched));
        Assert.Equal(2, retried.Single<StepDispatched>().Attempt);
    }

    [Fact]
    public void Closing_a_ticket_for_a_node_not_in_repair_is_refused()
    {
        var outcome = Given(Histories.ResetInFlight()).When(Closed).Then();
        Assert.Contains("only a node InRepair has an RMA ticket to close", outcome.Decision.Refusal);
    }
}
