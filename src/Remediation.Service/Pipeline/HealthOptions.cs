namespace Remediation.Service.Pipeline;

public sealed record HealthOptions
{
    /// <summary>/health says degraded when the oldest unprocessed input is older than this.</summary>
    public TimeSpan MaxLag { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Inputs waiting and nothing committed for this long is a stall: /health says so and the log warns.</summary>
    public TimeSpan MaxStall { get; init; } = TimeSpan.FromSeconds(30);
}
