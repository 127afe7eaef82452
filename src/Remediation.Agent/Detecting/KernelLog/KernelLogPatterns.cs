using System.Text.RegularExpressions;

namespace Remediation.Agent.Detecting.KernelLog;

internal static partial class KernelLogPatterns
{
    // Drivers since ~2014 print "(PCI:dddd:bb:dd", older ones "(dddd:bb:dd"; MIG adds " GPU-I:nn GPU-CI:nn" before the ")".
    [GeneratedRegex(@"NVRM: Xid \((?:PCI:)?(?<device>[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2})[^)]{0,64}\): (?<xid>\d{1,5})\b", RegexOptions.CultureInvariant)]
    public static partial Regex XidLine();

    // First line of the multi-line report newer drivers print when a GPU drops off the bus without an Xid.
    [GeneratedRegex(@"NVRM: The NVIDIA GPU (?<device>[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2})\.[0-7]\s*$", RegexOptions.CultureInvariant)]
    public static partial Regex FallenOffBusHeader();

    // mlx5 prints "<pci fn> <netdev>: Link down|up" for Ethernet and "<pci fn> <ibdev>: Port: n Link DOWN|INIT|ACTIVE" for IB.
    [GeneratedRegex(@"mlx5_core (?<device>[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]) \S{1,64}: (?:Port: \d{1,3} )?Link (?<state>down|up|DOWN|ACTIVE)\b", RegexOptions.CultureInvariant)]
    public static partial Regex Mlx5LinkState();

    // nvidia-nvswitch prints "nvidia-nvswitchN: SXid (PCI:dddd:bb:dd.f): %05d, <detail>" (NVSWITCH_PRINT_SXID in
    // open-gpu-kernel-modules src/common/nvswitch/kernel/inc/common_nvswitch.h); the detail says how bad and where.
    [GeneratedRegex(@"nvidia-nvswitch\d{1,3}: SXid \(PCI:(?<device>[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])\): (?<sxid>\d{1,6}), (?<detail>.*)$", RegexOptions.CultureInvariant)]
    public static partial Regex SxidLine();

    // The detail opens with the driver's verdict, then the port: "Fatal, Link 30 …", "Non-fatal, Link 04 …", "Correctable, Link 12 …".
    [GeneratedRegex(@"^(?<severity>Fatal|Non-fatal|Correctable), (?:Link (?<link>\d{1,3})\b)?", RegexOptions.CultureInvariant)]
    public static partial Regex SxidSeverity();

    [GeneratedRegex(@"^(?<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(?<day>\d{1,2}) (?<hour>\d\d):(?<minute>\d\d):(?<second>\d\d) ", RegexOptions.CultureInvariant)]
    public static partial Regex SyslogStamp();

    [GeneratedRegex(@"^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(?<day>\d{1,2}) (?<hour>\d\d):(?<minute>\d\d):(?<second>\d\d) (?<year>\d{4})\]", RegexOptions.CultureInvariant)]
    public static partial Regex DmesgHumanStamp();
}
