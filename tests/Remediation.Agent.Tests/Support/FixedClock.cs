namespace Remediation.Agent.Tests.Support;

public sealed class FixedClock(DateTimeOffset now, TimeZoneInfo? zone = null) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => zone ?? TimeZoneInfo.Utc;
}
