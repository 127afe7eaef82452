using System.Text.RegularExpressions;

namespace Remediation.Agent.Devices;

/// <summary>
/// The only shapes an argument from a message may take before it gets near a command. Anchored with \A and \z
/// (not ^ and $, which let a trailing newline through).
/// </summary>
public static partial class DeviceArgs
{
    // "PCI:0000:3b:00" (the kernel's Xid form), "0000:3b:00.0" (sysfs), "00000000:3B:00.0" (nvidia-smi).
    [GeneratedRegex(@"\A(?:PCI:)?(?<domain>[0-9a-fA-F]{4}|0000[0-9a-fA-F]{4}):(?<bus>[0-9a-fA-F]{2}):(?<dev>[0-1][0-9a-fA-F])(?:\.(?<fn>[0-7]))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PciAddress();

    [GeneratedRegex(@"\A[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]\z", RegexOptions.CultureInvariant)]
    private static partial Regex PciFunction();

    [GeneratedRegex(@"\A\d{1,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex GpuIndex();

    [GeneratedRegex(@"\A(?<ca>[A-Za-z][A-Za-z0-9_]{0,31})/(?<port>\d{1,3})\z", RegexOptions.CultureInvariant)]
    private static partial Regex PortName();

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9_]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CaName();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,14}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NetdevName();

    public static bool IsPciFunction(string text) => PciFunction().IsMatch(text);
    public static bool IsCaName(string text) => CaName().IsMatch(text);
    public static bool IsNetdevName(string text) => NetdevName().IsMatch(text);
    public static bool IsGpuIndex(string text) => GpuIndex().IsMatch(text);

    /// <summary>The sysfs name (<c>0000:3b:00.0</c>) of a PCI address in any of the accepted forms, or null.</summary>
    public static string? CanonicalPci(string text)
    {
        var match = PciAddress().Match(text);
        if (!match.Success) return null;
        var domain = match.Groups["domain"].Value[^4..];
        var fn = match.Groups["fn"].Success ? match.Groups["fn"].Value : "0";
        return $"{domain}:{match.Groups["bus"].Value}:{match.Groups["dev"].Value}.{fn}".ToLowerInvariant();
    }

    public static (string Ca, int Port)? ParsePortName(string text)
    {
        var match = PortName().Match(text);
        return match.Success ? (match.Groups["ca"].Value, int.Parse(match.Groups["port"].ValueSpan)) : null;
    }

    /// <summary>What a message argument may show of itself in a reason: printable ASCII, bounded.</summary>
    public static string Shown(string text)
    {
        var printable = new string(text.Take(64).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        return text.Length > 64 ? printable + "…" : printable;
    }
}
