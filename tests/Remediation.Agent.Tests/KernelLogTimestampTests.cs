using Remediation.Agent.Detecting.KernelLog;
using Remediation.Agent.Tests.Support;

namespace Remediation.Agent.Tests;

public sealed class KernelLogTimestampTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo UtcPlus2 = TimeZoneInfo.CreateCustomTimeZone("test+2", TimeSpan.FromHours(2), "test+2", "test+2");

    [Fact]
    public void Dmesg_ctime_stamp_is_read_as_local_time_with_its_year()
    {
        var observed = KernelLogTimestamp.ObservedAt(Fixtures.Line("[Fri Aug 30 11:43:14 2024]"), new FixedClock(Now, UtcPlus2));

        Assert.Equal(new DateTimeOffset(2024, 8, 30, 9, 43, 14, TimeSpan.Zero), observed);
    }

    [Fact]
    public void Syslog_stamp_takes_its_year_from_the_clock()
    {
        var observed = KernelLogTimestamp.ObservedAt(Fixtures.Line("Mar 21 20:18:56 pc kernel: [   65.315783]"), new FixedClock(Now));

        Assert.Equal(new DateTimeOffset(2026, 3, 21, 20, 18, 56, TimeSpan.Zero), observed);
    }

    [Fact]
    public void Syslog_stamp_is_local_time()
    {
        var observed = KernelLogTimestamp.ObservedAt(Fixtures.Line("Mar 21 20:18:56 pc kernel: [   65.315783]"), new FixedClock(Now, UtcPlus2));

        Assert.Equal(new DateTimeOffset(2026, 3, 21, 18, 18, 56, TimeSpan.Zero), observed);
    }

    [Fact]
    public void Syslog_december_line_read_in_january_belongs_to_the_year_before()
    {
        var january = new DateTimeOffset(2017, 1, 2, 8, 0, 0, TimeSpan.Zero);

        var observed = KernelLogTimestamp.ObservedAt(Fixtures.Line("Dec  6 17:49:03 eduardo-desktop kernel: [ 8659.726062]"), new FixedClock(january));

        Assert.Equal(new DateTimeOffset(2016, 12, 6, 17, 49, 3, TimeSpan.Zero), observed);
    }

    [Theory]
    [InlineData("[   94.573839] NVRM: Xid (PCI:0000:08:00): 44")]
    [InlineData("kernel: NVRM: Xid (PCI:0000:dc:00): 45")]
    [InlineData("NVRM: Xid (PCI:0000:01:00 GPU-I:05): 94")]
    public void Line_without_an_absolute_stamp_is_observed_now(string fragment)
    {
        Assert.Equal(Now, KernelLogTimestamp.ObservedAt(Fixtures.Line(fragment), new FixedClock(Now)));
    }

    [Theory]
    [InlineData("Feb 30 10:00:00 host kernel: NVRM: Xid (PCI:0000:01:00): 79")]
    [InlineData("Jan 01 25:61:61 host kernel: NVRM: Xid (PCI:0000:01:00): 79")]
    [InlineData("[Fri Aug 30 11:43:14 0000] NVRM: Xid (PCI:0000:01:00): 79")]
    public void Impossible_stamp_falls_back_to_now(string line)
    {
        Assert.Equal(Now, KernelLogTimestamp.ObservedAt(line, new FixedClock(Now)));
    }
}
