namespace Remediation.Service.Pipeline;

public sealed record HealthOptions
{
    /// <summary>/health says degraded when the oldest unprocessed input is older than this.</summary>
    public TimeSpan MaxLag { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Inputs waiting and nothing committed for this long is a stall: /health says so and the log warns.</summary>
    public TimeSpan MaxStall { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The transport stuck this long while the broker answers all along (MassTransit reconnects within half a minute,
    /// and the service drops a connection that stays stuck for 15 s) is wedged for good: <c>/health/live</c> turns 503
    /// and, with <see cref="ExitWhenWedged"/>, the service stops.
    /// </summary>
    public TimeSpan WedgedAfter { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>A wedged service stops itself (exit code 75) for its supervisor to start it afresh.</summary>
    public bool ExitWhenWedged { get; init; } = true;
}
