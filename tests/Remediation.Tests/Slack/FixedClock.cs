namespace Remediation.Tests.Slack;

/// <summary>A clock that says what the test wants, so signed timestamps from Slack's docs stay fresh.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
