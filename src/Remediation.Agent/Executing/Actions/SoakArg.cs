using System.Globalization;
using Remediation.Agent.Devices;

namespace Remediation.Agent.Executing.Actions;

/// <summary>A check's <c>soak</c> argument: how long to watch error counters, "60s" or "5m", at most <see cref="Max"/>.</summary>
internal static class SoakArg
{
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(30);

    public static (TimeSpan? Soak, string? Error) Parse(string? arg)
    {
        if (arg is null) return (null, null);
        var unit = arg.EndsWith('m') ? 60 : arg.EndsWith('s') ? 1 : 0;
        return unit > 0 && int.TryParse(arg[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && TimeSpan.FromSeconds(n * unit) <= Max
            ? (TimeSpan.FromSeconds(n * unit), null)
            : (null, $"soak '{DeviceArgs.Shown(arg)}' is not a duration like 60s or 5m, at most {Max.TotalMinutes:0}m");
    }
}
