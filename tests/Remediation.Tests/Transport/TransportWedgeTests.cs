using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Service.Bus;
using Remediation.Service.Pipeline;
using Remediation.Tests.Slack;

namespace Remediation.Tests.Transport;

/// <summary>
/// When the service gives up on its own transport and asks for a new process. A broker outage must never count (that
/// would turn every outage into a restart loop); only a transport stuck all along while the broker answers.
/// </summary>
public sealed class TransportWedgeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<string> Stuck = ["sends (no send confirmed since 12:00:00)"];

    private readonly FixedClock _clock = new(Start);
    private readonly StoppingLifetime _lifetime = new();

    private TransportWedge Wedge(bool exit = true) =>
        new(new HealthOptions { WedgedAfter = TimeSpan.FromSeconds(90), ExitWhenWedged = exit }, _lifetime, _clock, NullLogger<TransportWedge>.Instance);

    private void After(TimeSpan elapsed) => _clock.Now = _clock.Now + elapsed;

    [Fact]
    public void Stuck_for_the_whole_allowance_while_the_broker_answers_is_wedged_and_stops_the_service()
    {
        var wedge = Wedge();
        wedge.Observe(Stuck, brokerAnswers: true);
        After(TimeSpan.FromSeconds(89));
        wedge.Observe(Stuck, brokerAnswers: true);
        Assert.True(wedge.Reason is null, "89 s in, MassTransit or the dropped connection may still bring it back");

        After(TimeSpan.FromSeconds(1));
        wedge.Observe(Stuck, brokerAnswers: true);

        Assert.Contains("stuck for 90s while the broker answers: sends (no send confirmed", wedge.Reason);
        Assert.Equal(1, _lifetime.Stops);
    }

    [Fact]
    public void A_broker_that_does_not_answer_is_an_outage_to_ride_out_however_long_it_lasts()
    {
        var wedge = Wedge();
        for (var i = 0; i < 100; i++)
        {
            wedge.Observe(Stuck, brokerAnswers: false);
            After(TimeSpan.FromSeconds(10));
        }

        Assert.Null(wedge.Reason);
        Assert.Equal(0, _lifetime.Stops);
    }

    [Fact]
    public void An_outage_in_between_starts_the_count_again()
    {
        var wedge = Wedge();
        wedge.Observe(Stuck, brokerAnswers: true);
        After(TimeSpan.FromSeconds(80));
        wedge.Observe(Stuck, brokerAnswers: false);
        After(TimeSpan.FromSeconds(2));
        wedge.Observe(Stuck, brokerAnswers: true);
        After(TimeSpan.FromSeconds(80));
        wedge.Observe(Stuck, brokerAnswers: true);

        Assert.True(wedge.Reason is null, "the broker went away 80 s in: the allowance starts again when it answers");
    }

    [Fact]
    public void Clear_for_half_a_minute_in_between_starts_the_count_again()
    {
        var wedge = Wedge();
        wedge.Observe(Stuck, brokerAnswers: true);
        After(TimeSpan.FromSeconds(60));
        wedge.Observe([], brokerAnswers: true);
        After(TransportWedge.ClearFor);
        wedge.Observe([], brokerAnswers: true);
        After(TimeSpan.FromSeconds(60));
        wedge.Observe(Stuck, brokerAnswers: true);

        Assert.True(wedge.Reason is null, "it consumed and sent for 30 s: the allowance starts again from the next stuck spell");
    }

    [Fact]
    public void A_moment_of_progress_in_a_stuck_spell_does_not_start_the_count_again()
    {
        var wedge = Wedge();
        wedge.Observe(Stuck, brokerAnswers: true);
        After(TimeSpan.FromSeconds(50));
        wedge.Observe([], brokerAnswers: true);
        After(TransportWedge.ClearFor - TimeSpan.FromSeconds(2));
        wedge.Observe(Stuck, brokerAnswers: true);
        After(TimeSpan.FromSeconds(12));
        wedge.Observe(Stuck, brokerAnswers: true);

        Assert.Contains("stuck for 90s while the broker answers", wedge.Reason);
        Assert.Equal(1, _lifetime.Stops);
    }

    [Fact]
    public void A_connection_that_cannot_be_dropped_is_wedged_at_once_and_said_once()
    {
        var wedge = Wedge();

        wedge.Declare("dropping the connection did not finish within 20s while the broker answers");
        wedge.Declare("a second sign");

        Assert.Equal("dropping the connection did not finish within 20s while the broker answers", wedge.Reason);
        Assert.Equal(1, _lifetime.Stops);
    }

    [Fact]
    public void With_the_exit_off_the_service_says_it_is_wedged_and_keeps_running()
    {
        var wedge = Wedge(exit: false);
        wedge.Observe(Stuck, brokerAnswers: true);
        After(TimeSpan.FromSeconds(91));
        wedge.Observe(Stuck, brokerAnswers: true);

        Assert.NotNull(wedge.Reason);
        Assert.Equal(0, _lifetime.Stops);
    }

    private sealed class StoppingLifetime : IHostApplicationLifetime
    {
        public int Stops { get; private set; }
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => Stops++;
    }
}
