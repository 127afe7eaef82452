using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs;

/// <summary>A GPU that keeps failing is a lemon: after enough incidents on one device, straight to cordon and RMA.</summary>
public sealed class LemonSpecs
{
    /// <summary>Two incidents on the GPU, both closed at T0: a reset that worked, then an Xid 63 whose reset worked too.</summary>
    private static object[] TwoIncidentsOnTheGpu =>
    [
        .. Histories.ResetResolved,
        .. XidOpened(63, incident: 2, eventId: "e-5"), Started("gpu-reset", incident: 2), Resolved(2),
    ];

    [Fact]
    public void Third_incident_on_one_gpu_within_the_window_goes_straight_to_cordon_and_rma()
    {
        var outcome = Given(TwoIncidentsOnTheGpu).When(Xid(48, eventId: "e-9"), T0.AddDays(2));
        var started = outcome.Single<RunbookStarted>();
        Assert.Equal("cordon-and-rma", started.Runbook);
        Assert.StartsWith($"lemon: incident 3 on {Gpu} within 7d", started.Reason);
    }

    [Fact]
    public void Incidents_older_than_the_window_do_not_make_a_lemon()
    {
        var outcome = Given(TwoIncidentsOnTheGpu).When(Xid(48, eventId: "e-9"), T0.AddDays(8));
        Assert.Equal("gpu-reset", outcome.Single<RunbookStarted>().Runbook);
    }

    [Fact]
    public void Incidents_on_another_gpu_do_not_count()
    {
        var otherGpu = new FaultInput(Xid(48, eventId: "e-9").Fault with { Device = "PCI:0000:86:00" });
        var outcome = Given(TwoIncidentsOnTheGpu).When(otherGpu, T0.AddDays(2));
        Assert.Equal("gpu-reset", outcome.Single<RunbookStarted>().Runbook);
    }

    [Fact]
    public void The_threshold_is_configuration()
    {
        var outcome = Given(TwoIncidentsOnTheGpu).With(new DeciderOptions { LemonIncidents = 4 })
            .When(Xid(48, eventId: "e-9"), T0.AddDays(2));
        Assert.NotEqual("cordon-and-rma", outcome.Single<RunbookStarted>().Runbook);
    }
}
