using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Service.Bus;
using Remediation.Service.Pipeline;
using Remediation.Tests.Slack;

namespace Remediation.Tests.Transport;

/// <summary>
/// When the service gives up on its own transport and asks for a new process. A broker outage must never count (that
/// would turn every outage into a restart loop); only a transport stuck while the broker answers, after dropping the
/// connection did not free it.
/// </summary>
public sealed class TransportWedgeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<string> Stuck = ["sends (no send confirmed since 12:00:00)"];

    private readonly FixedClock _clock = new(Start);
    private readonly StoppingLifetime _lifetime = new();

    private TransportWedge Wedge(bool exit = true) =>
        new(new HealthOptions { WedgedAfter = TimeSpan.FromSeconds(60), ExitWhenWedged = exit }, _lifetime, _clock, NullLogger<TransportWedge>.Instance);

    private void After(TimeSpan elapsed) => _clock.Now = _clock.Now + elapsed;

    [Fact]
    public void Stuck_while_the_broker_answers_and_still_stuck_a_minute_after_the_drop_is_wedged_and_stops_the_service()
    {
        var wedge = Wedge();
        wedge.Observe(Stuck, brokerAnswers: true, lastDropped: null);
        After(TimeSpan.FromSeconds(15));
        var dropped = _clock.Now;
        wedge.Observe(Stuck, brokerAnswers: true, dropped);
        After(TimeSpan.FromSeconds(59));
        wedge.Observe(Stuck, brokerAnswers: true, dropped);
        Assert.True(wedge.Reason is null, "59 s after the drop the transport may still come back");

        After(TimeSpan.FromSeconds(1));
        wedge.Observe(Stuck, brokerAnswers: true, dropped);

        Assert.Contains("sends (no send confirmed", wedge.Reason);
        Assert.Equal(1, _lifetime.Stops);
    }

    [Fact]
    public void A_broker_that_does_not_answer_is_an_outage_to_ride_out_however_long_it_lasts()
    {
        var wedge = Wedge();
        var dropped = _clock.Now;
        for (var i = 0; i < 100; i++)
        {
            wedge.Observe(Stuck, brokerAnswers: false, dropped);
            After(TimeSpan.FromSeconds(10));
        }

        Assert.Null(wedge.Reason);
        Assert.Equal(0, _lifetime.Stops);
    }

    [Fact]
    public void An_outage_in_between_starts_the_count_again()
    {
        var wedge = Wedge();
        var dropped = _clock.Now;
        wedge.Observe(Stuck, brokerAnswers: true, dropped);
        After(TimeSpan.FromSeconds(50));
        wedge.Observe(Stuck, brokerAnswers: false, dropped);
        After(TimeSpan.FromSeconds(20));
        wedge.Observe(Stuck, brokerAnswers: true, dropped);

        Assert.True(wedge.Reason is null, "the drop came before this episode began: the connection was not tried in it");
    }

    [Fact]
    public void Stuck_without_a_drop_is_left_to_the_watch_that_drops_the_connection()
    {
        var wedge = Wedge();
        for (var i = 0; i < 60; i++)
        {
            wedge.Observe(Stuck, brokerAnswers: true, lastDropped: null);
            After(TimeSpan.FromSeconds(10));
        }

        Assert.Null(wedge.Reason);
    }

    [Fact]
    public void Unstuck_in_time_is_no_wedge()
    {
        var wedge = Wedge();
        wedge.Observe(Stuck, brokerAnswers: true, lastDropped: null);
        var dropped = _clock.Now;
        After(TimeSpan.FromSeconds(30));
        wedge.Observe([], brokerAnswers: true, dropped);
        After(TimeSpan.FromSeconds(60));
        wedge.Observe(Stuck, brokerAnswers: true, dropped);

        Assert.Null(wedge.Reason);
    }

    [Fact]
    public void With_the_exit_off_the_service_says_it_is_wedged_and_keeps_running()
    {
        var wedge = Wedge(exit: false);
        wedge.Observe(Stuck, brokerAnswers: true, lastDropped: null);
        var dropped = _clock.Now;
        After(TimeSpan.FromSeconds(61));
        wedge.Observe(Stuck, brokerAnswers: true, dropped);

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
