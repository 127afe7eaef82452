namespace Remediation.Specs;

/// <summary>Risky steps wait for an operator; the answer, or its absence, is recorded with who gave it.</summary>
public sealed class ApprovalSpecs
{
    private static readonly string Asked = ApprovalId(runbooksTried: 1);

    [Fact]
    public void Approval_grants_with_the_operators_name_and_quarantines_before_the_step()
    {
        Given(Histories.RebootAwaitingApproval).When(Approve(Asked, by: "alice")).Then(
            new ApprovalGranted(Node, Asked, "alice", T1),
            QuarantineDispatched("reboot", T1))
            .ThenStatus(NodeStatus.Remediating);
    }

    [Fact]
    public void Rejection_is_recorded_and_the_node_handed_to_a_human()
    {
        Given(Histories.RebootAwaitingApproval).When(Reject(Asked, by: "bob", reason: "checkpoint in 5m")).Then(
            new ApprovalRejected(Node, Asked, "bob", "checkpoint in 5m", T1),
            new HandedToHuman(Node, Incident(), $"bob rejected {Asked}: checkpoint in 5m", T1, "operator:bob"))
            .ThenStatus(NodeStatus.NeedsHuman);
    }

    [Fact]
    public void Answer_to_an_approval_that_is_not_waiting_is_refused_without_events()
    {
        var outcome = Given(Histories.RebootAwaitingApproval).When(Approve("apr-someone-else", by: "alice")).Then()
            .ThenStatus(NodeStatus.AwaitingApproval);
        Assert.Equal($"approval apr-someone-else is not waiting on node {Node}", outcome.Decision.Refusal);
    }

    [Fact]
    public void Second_answer_to_a_granted_approval_is_refused()
    {
        var granted = Given(Histories.RebootAwaitingApproval).When(Approve(Asked));
        var outcome = Given(granted.Stream).When(Reject(Asked)).Then().ThenStatus(NodeStatus.Remediating);
        Assert.NotNull(outcome.Decision.Refusal);
    }

    [Fact]
    public void Unanswered_approval_expires_and_the_node_is_handed_to_a_human()
    {
        var expiry = T0.AddMinutes(30);
        Given(Histories.RebootAwaitingApproval).When(Tick, expiry).Then(
            new ApprovalExpired(Node, Asked, expiry, "rule:approval-timeout"),
            new HandedToHuman(Node, Incident(), $"approval {Asked} expired; nothing was executed", expiry, "rule:approval-timeout"))
            .ThenStatus(NodeStatus.NeedsHuman);
    }

    [Fact]
    public void Tick_before_expiry_keeps_waiting()
    {
        Given(Histories.RebootAwaitingApproval).When(Tick, T0.AddMinutes(29)).Then().ThenStatus(NodeStatus.AwaitingApproval);
    }
}
