namespace Remediation.Service.Pipeline;

public sealed record HealthOptions
{
    /// <summary>/health says degraded when the oldest unprocessed input is older than this.</summary>
    public TimeSpan MaxLag { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Inputs waiting and nothing committed for this long is a stall: /health says so and the log warns.</summary>
    public TimeSpan MaxStall { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The transport still stuck this long after its connection was dropped to free it, with the broker answering all
    /// along, is wedged for good: <c>/health/live</c> turns 503 and, with <see cref="ExitWhenWedged"/>, the service stops.
    /// </summary>
    public TimeSpan WedgedAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A wedged service stops itself (exit code 75) for its supervisor to start it afresh.</summary>
    public bool ExitWhenWedged { get; init; } = true;
}
