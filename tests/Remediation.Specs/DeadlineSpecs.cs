using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs;

/// <summary>A step whose agent says nothing before its deadline has failed; the clock says so.</summary>
public sealed class DeadlineSpecs
{
    private static readonly DateTimeOffset ResetDeadline = T0.AddMinutes(2);

    [Fact]
    public void Tick_before_the_deadline_changes_nothing()
    {
        var outcome = Given(Histories.ResetInFlight()).When(Tick, ResetDeadline.AddSeconds(-1)).Then();
        Assert.Equal(ResetDeadline, NodeDecider.NextDeadline(outcome.State));
    }

    [Fact]
    public void Tick_at_the_deadline_times_the_step_out_and_retries_it()
    {
        var reset = Command("gpu-reset", "reset-gpu");
        var outcome = Given(Histories.ResetInFlight()).When(Tick, ResetDeadline)
            .ThenTypes(typeof(StepTimedOut), typeof(StepDispatched)).ThenStatus(NodeStatus.Remediating);
        Assert.Equal(new StepTimedOut(Node, Incident(), reset, "reset-gpu", "gpu_reset", ResetDeadline, ResetDeadline, "rule:step-deadline"),
            outcome.Single<StepTimedOut>());
        Assert.Equal(Command("gpu-reset", "reset-gpu", attempt: 2), outcome.Single<StepDispatched>().CommandId);
        Assert.Equal(ResetDeadline.AddMinutes(2), NodeDecider.NextDeadline(outcome.State));
    }

    [Fact]
    public void A_step_sent_late_is_not_timed_out_at_its_recorded_deadline()
    {
        // The command left a minute after it was decided (the broker was away): its two minutes run from then.
        var sentLate = new ClockTick(Node, StepDue: ResetDeadline.AddMinutes(1));
        var outcome = Given(Histories.ResetInFlight()).When(sentLate, ResetDeadline.AddSeconds(30)).Then();
        Assert.Equal(ResetDeadline.AddMinutes(1), NodeDecider.NextDeadline(outcome.State, ResetDeadline.AddMinutes(1)));
        Given(Histories.ResetInFlight()).When(sentLate, ResetDeadline.AddMinutes(1)).ThenTypes(typeof(StepTimedOut), typeof(StepDispatched));
    }

    [Fact]
    public void A_step_not_yet_sent_has_no_deadline()
    {
        var state = Given(Histories.ResetInFlight()).When(Tick, ResetDeadline.AddSeconds(-1)).Then().State;
        Assert.Null(NodeDecider.NextDeadline(state, stepDue: null));
        Given(Histories.ResetInFlight()).When(new ClockTick(Node, DateTimeOffset.MaxValue), ResetDeadline.AddHours(1)).Then();
    }

    [Fact]
    public void Tick_after_the_retry_deadline_escalates_to_driver_reload()
    {
        var escalated = Given(Histories.ResetInFlight(attempt: 2)).When(Tick, ResetDeadline.AddMinutes(1))
            .ThenTypes(typeof(StepTimedOut), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating)
            .Single<RunbookEscalated>();
        Assert.Equal(("gpu-reset", "driver-reload"), (escalated.FromRunbook, escalated.ToRunbook));
    }

    [Fact]
    public void Verification_without_an_answer_fails_and_escalates()
    {
        var outcome = Given(Histories.ResetVerifying).When(Tick, T0.AddMinutes(5))
            .ThenTypes(typeof(StepTimedOut), typeof(VerificationFailed), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating);
        Assert.Equal("no result before the deadline", outcome.Single<VerificationFailed>().Output);
    }

    [Fact]
    public void Tick_on_a_healthy_node_changes_nothing()
    {
        var outcome = Given().When(Tick).Then().ThenStatus(NodeStatus.Healthy);
        Assert.Null(NodeDecider.NextDeadline(outcome.State));
    }
}
