namespace Remediation.Specs;

/// <summary>A runbook whose steps succeeded is verified before its incident closes.</summary>
public sealed class VerificationSpecs
{
    [Fact]
    public void Succeeded_reset_dispatches_its_verification()
    {
        var reset = Command("gpu-reset", "reset-gpu");
        Given(Histories.ResetInFlight()).When(Ok(reset)).Then(
            new StepSucceeded(Node, Incident(), reset, "reset-gpu", 0, "ok", T1, $"agent@{Node}", "gpu_reset"),
            new StepDispatched(Node, Incident(), Command("gpu-reset", "check-gpu"), "gpu-reset", "check-gpu", "gpu_health",
                new Dictionary<string, string> { ["device"] = Gpu, ["soak"] = "60s" }, 1, 1, true, T1.AddMinutes(5), T1, "runbook:gpu-reset/check-gpu"))
            .ThenStatus(NodeStatus.Verifying);
    }

    [Fact]
    public void Passed_verification_resolves_the_incident_and_the_node_is_healthy()
    {
        var check = Command("gpu-reset", "check-gpu");
        var outcome = Given(Histories.ResetVerifying).When(Ok(check))
            .ThenTypes(typeof(StepSucceeded), typeof(VerificationPassed), typeof(IncidentResolved))
            .ThenStatus(NodeStatus.Healthy);
        Assert.Equal(new VerificationPassed(Node, Incident(), check, T1, "runbook:gpu-reset/check-gpu"), outcome.Single<VerificationPassed>());
        Assert.Equal("gpu-reset succeeded and the node verified healthy", outcome.Single<IncidentResolved>().Resolution);
        Assert.Null(outcome.State.Incident);
        Assert.Equal("gpu-reset", Assert.Single(outcome.State.History).LastRunbook);
    }

    [Fact]
    public void Failed_verification_escalates_to_the_next_rung()
    {
        var outcome = Given(Histories.ResetVerifying).When(Failed(Command("gpu-reset", "check-gpu")))
            .ThenTypes(typeof(StepFailed), typeof(VerificationFailed), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating);
        var escalated = outcome.Single<RunbookEscalated>();
        Assert.Equal(("gpu-reset", "driver-reload", "verification failed"), (escalated.FromRunbook, escalated.ToRunbook, escalated.Reason));
        Assert.Equal(Outcome.Show(QuarantineDispatched("driver-reload", T1)), Outcome.Show(outcome.Single<StepDispatched>()));
    }
}
