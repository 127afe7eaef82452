using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// The last resort for a transport stuck while the broker answers. RabbitMQ.Client 7.2.2 (the newest served) can
/// deadlock for good after a broker restart: dumps of stalled runs show acknowledgements and publishes waiting on a
/// 128-frame socket buffer whose writer no longer drains it, and the connection's receive loop, handling the broker's
/// close, waiting for those same consumers to finish, so no reply (channel open, declare) ever arrives again
/// (rabbitmq-dotnet-client #1930 and #1960, fixed upstream after 7.2.2). Nothing inside the process can free that, and
/// dropping the connection (<see cref="TransportHealth"/>) does not always get through. Everything the service holds is
/// either committed or unacknowledged (redelivered to whoever consumes next), so the dependable recovery is a new
/// process: <c>/health/live</c> turns 503, and unless <c>Health:ExitWhenWedged</c> is off the service stops itself with
/// exit code 75 for its supervisor (Kubernetes, systemd, docker compose) to start it afresh.
/// </summary>
public sealed class TransportWedge(HealthOptions options, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<TransportWedge> logger)
{
    /// <summary>The exit code a wedged service stops with (EX_TEMPFAIL: start it again).</summary>
    public const int ExitCode = 75;

    /// <summary>A stop that hangs on the wedged connection is cut short after this.</summary>
    private static readonly TimeSpan StopAtMost = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A recovery is one that lasts: measured after three broker restarts in a row on a quiet machine, a wedged
    /// connection let one send through and stuck again ten seconds later, which restarted the allowance and left 100
    /// runbooks waiting past the harness's window. Only a transport clear this long ends a stuck episode.
    /// </summary>
    public static readonly TimeSpan ClearFor = TimeSpan.FromSeconds(30);

    private DateTimeOffset? _stuckSince;
    private DateTimeOffset? _clearSince;
    private volatile string? _reason;

    /// <summary>Why the transport is wedged for good; null while it is not.</summary>
    public string? Reason => _reason;

    /// <summary>
    /// Called every few seconds with what is stuck and whether the broker answered a probe apart from the service's own
    /// connection. Wedged: stuck for <c>Health:WedgedAfter</c> while the broker answered all along, with no clear
    /// spell of <see cref="ClearFor"/> in between; that outlasts MassTransit's own reconnects and the watch's drop of
    /// the connection. An outage (the broker not answering) ends the episode at once: stuck is then what it should be.
    /// </summary>
    public void Observe(IReadOnlyList<string> stuck, bool brokerAnswers)
    {
        var now = clock.GetUtcNow();
        if (stuck.Count > 0 && !brokerAnswers)
        {
            (_stuckSince, _clearSince) = (null, null);
            return;
        }
        if (stuck.Count == 0)
        {
            _clearSince ??= now;
            if (now - _clearSince.Value >= ClearFor) _stuckSince = null;
            return;
        }
        _clearSince = null;
        _stuckSince ??= now;
        if (_reason is not null || now - _stuckSince.Value < options.WedgedAfter) return;
        Declare($"stuck for {(now - _stuckSince.Value).TotalSeconds:F0}s while the broker answers: " + string.Join("; ", stuck));
    }

    /// <summary>
    /// Wedged now, without waiting out the allowance: for a sign nothing else explains, such as the client failing to
    /// drop its own connection while the broker answers (the deadlock in the summary holds that drop too).
    /// </summary>
    public void Declare(string reason)
    {
        if (_reason is not null) return;
        _reason = reason;
        if (!options.ExitWhenWedged)
        {
            logger.LogCritical("The transport is wedged ({Reason}); /health/live says so, restart the service", _reason);
            return;
        }
        logger.LogCritical("The transport is wedged ({Reason}); stopping with exit code {Code} so that the supervisor starts the service afresh: " +
            "what is not committed is redelivered", _reason, ExitCode);
        lifetime.StopApplication();
    }

    /// <summary>
    /// Registered by the process: a stop for a wedged transport is cut short when the host's own stop hangs on the
    /// wedged connection (nothing is lost by not waiting: see the summary). The process then ends with <see cref="ExitCode"/>.
    /// </summary>
    public void Stopping()
    {
        if (_reason is null) return;
        _ = Task.Run(async () =>
        {
            await Task.Delay(StopAtMost);
            Environment.FailFast($"the transport is wedged and the service did not stop within {StopAtMost.TotalSeconds:F0}s");
        });
    }
}
