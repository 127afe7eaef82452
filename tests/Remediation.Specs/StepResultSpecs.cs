namespace Remediation.Specs;

/// <summary>Results for steps that are no longer in flight are recorded and change nothing.</summary>
public sealed class StepResultSpecs
{
    [Fact]
    public void Result_for_an_unknown_command_is_ignored()
    {
        var outcome = Given(Histories.ResetInFlight()).When(Failed("inc-gpu-node-017-1/gpu-reset/reset-gpu/7")).Then(
            new StepResultIgnored(Node, "inc-gpu-node-017-1/gpu-reset/reset-gpu/7", StepOutcomes.Failed,
                $"the step in flight is {Command("gpu-reset", "reset-gpu")}", T1, $"agent@{Node}"));
        Assert.Equal(NodeStatus.Remediating, outcome.State.Status);
        Assert.Equal(Command("gpu-reset", "reset-gpu"), outcome.State.Incident?.Pending?.CommandId);
    }

    [Fact]
    public void Late_result_of_a_replaced_attempt_is_ignored()
    {
        var stale = Given(Histories.ResetInFlight(attempt: 2)).When(Ok(Command("gpu-reset", "reset-gpu", attempt: 1)))
            .ThenTypes(typeof(StepResultIgnored)).ThenStatus(NodeStatus.Remediating).Single<StepResultIgnored>();
        Assert.Equal($"the step in flight is {Command("gpu-reset", "reset-gpu", attempt: 2)}", stale.Reason);
    }

    [Fact]
    public void Result_on_a_node_with_nothing_in_flight_is_ignored()
    {
        var ignored = Given(Histories.ResetResolved).When(Ok(Command("gpu-reset", "check-gpu")))
            .ThenTypes(typeof(StepResultIgnored)).ThenStatus(NodeStatus.Healthy).Single<StepResultIgnored>();
        Assert.Equal("no step is in flight", ignored.Reason);
    }
}
