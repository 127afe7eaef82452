using System.Text.RegularExpressions;

namespace Remediation.Agent.Detecting.KernelLog;

/// <summary>
/// When a line says it happened. Only syslog/journald and <c>dmesg -T</c> stamps are absolute; dmesg and /dev/kmsg
/// count from boot, so for those (and anything unrecognised) the moment of reading is the best we know.
/// </summary>
public static class KernelLogTimestamp
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static DateTimeOffset ObservedAt(string line, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return FromSyslog(line, clock.LocalTimeZone, now) ?? FromDmesgHuman(line, clock.LocalTimeZone) ?? now;
    }

    private static DateTimeOffset? FromSyslog(string line, TimeZoneInfo zone, DateTimeOffset now)
    {
        var match = KernelLogPatterns.SyslogStamp().Match(line);
        if (!match.Success) return null;
        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var stamp = Local(localNow.Year, match, zone);
        // Syslog leaves the year out: a December line read in early January belongs to the year before.
        if (stamp > now.AddDays(1)) stamp = Local(localNow.Year - 1, match, zone);
        return stamp;
    }

    private static DateTimeOffset? FromDmesgHuman(string line, TimeZoneInfo zone)
    {
        var match = KernelLogPatterns.DmesgHumanStamp().Match(line);
        return match.Success ? Local(int.Parse(match.Groups["year"].ValueSpan), match, zone) : null;
    }

    private static DateTimeOffset? Local(int year, Match match, TimeZoneInfo zone)
    {
        var month = Array.IndexOf(Months, match.Groups["month"].Value) + 1;
        var day = int.Parse(match.Groups["day"].ValueSpan);
        var hour = int.Parse(match.Groups["hour"].ValueSpan);
        var minute = int.Parse(match.Groups["minute"].ValueSpan);
        var second = int.Parse(match.Groups["second"].ValueSpan);
        if (year is < 1 or > 9998 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return null;
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
