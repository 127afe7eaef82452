using System.Globalization;
using System.Text.RegularExpressions;

namespace Remediation.Agent.Detecting.Fabric;

/// <summary>
/// The lines of Fabric Manager's log that report a failed fabric: a fatal NVSwitch error it handled, GPUs it could
/// not bind into an NVLink multicast team, or a start aborted because the NVSwitches found do not form a known
/// topology. Non-fatal NVSwitch errors are left to the kernel's own SXid line.
/// </summary>
public static partial class FabricManagerLog
{
    [GeneratedRegex(@"detected NVSwitch fatal error \d+|failed to find the GPU handle \d+ in the multicast team|detected number of NVSwitches don't match with any supported system topology", RegexOptions.CultureInvariant)]
    private static partial Regex FabricFailure();

    // Fabric Manager stamps lines "[Jul 23 2024 07:53:55] [ERROR] …" in the host's local time.
    [GeneratedRegex(@"^\[(?<stamp>[A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2})\]", RegexOptions.CultureInvariant)]
    private static partial Regex Stamp();

    public static bool ReportsFailure(string line) => FabricFailure().IsMatch(line);

    public static DateTimeOffset ObservedAt(string line, TimeProvider clock)
    {
        var stamp = Stamp().Match(line);
        if (!stamp.Success || !DateTime.TryParseExact(stamp.Groups["stamp"].Value, "MMM dd yyyy HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var local))
            return clock.GetUtcNow();
        return new DateTimeOffset(local, clock.LocalTimeZone.GetUtcOffset(local)).ToUniversalTime();
    }
}
