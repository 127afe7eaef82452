using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Detecting.Dcgm;

/// <summary>
/// Polls DCGM's background health watches with <c>dcgmi health -c</c>. Off where dcgmi is not installed or no health
/// watches are set (<c>dcgmi health -s</c> is the operator's choice); a check that fails otherwise is a failed health check.
/// </summary>
public sealed class DcgmHealthDetector(DetectorContext context) : IDetector
{
    public static readonly Argv Check = Argv.Of("dcgmi", "health", "-c");
    public static readonly Argv Discovery = Argv.Of("dcgmi", "discovery", "-l");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const int NotInstalled = 127;
    private const string WatchesNotEnabled = "Health watches not enabled";
    private const string Gpu = "GPU";

    private readonly EdgeTracker _tracker = context.Tracker("dcgm");

    public string Name => "dcgm";

    public async Task<IReadOnlyList<FaultDetected>> PollAsync(CancellationToken ct)
    {
        var result = await context.Probes.RunAsync(Check, Timeout, ct);
        return _tracker.Observe(await Conditions(result, ct));
    }

    private async Task<IReadOnlyList<Condition>> Conditions(CommandResult result, CancellationToken ct)
    {
        if (result.ExitCode == NotInstalled || result.Output.Contains(WatchesNotEnabled, StringComparison.Ordinal)) return [];
        if (!result.Succeeded)
            return [Failed($"{(result.TimedOut ? "timed out" : $"exited {result.ExitCode}")}: {FirstLine(result.Output)}")];
        if (DcgmHealthReport.Parse(result.Output) is not { } incidents)
            return [Failed($"printed no health report: {FirstLine(result.Output)}")];
        if (incidents.Count == 0) return [];

        var addresses = incidents.Any(i => i.EntityGroup == Gpu) ? await GpuAddresses(ct) : new Dictionary<string, string>();
        return incidents.Select(i => new Condition($"{i.EntityGroup}:{i.EntityId}:{i.System}", Kind(i.System), Device(i, addresses),
            i.Message.Length > 0 ? i.Message : $"{i.System} {i.Health} on {i.EntityGroup} {i.EntityId}", i.Failed ? 2 : 1)).ToList();
    }

    private async Task<IReadOnlyDictionary<string, string>> GpuAddresses(CancellationToken ct)
    {
        var result = await context.Probes.RunAsync(Discovery, Timeout, ct);
        return result.Succeeded ? DcgmDiscovery.PciAddresses(result.Output) : new Dictionary<string, string>();
    }

    private static string Device(DcgmIncident incident, IReadOnlyDictionary<string, string> addresses) =>
        incident.EntityGroup == Gpu && addresses.TryGetValue(incident.EntityId, out var address)
            ? "PCI:" + address[..^2]
            : $"{incident.EntityGroup} {incident.EntityId}";

    /// <summary>DCGM names systems "Memory system", "NVLINK system", "PCIe system", "Thermal system", "Power system", "Driver", ….</summary>
    private static string Kind(string system) => system.Split(' ')[0].ToUpperInvariant() switch
    {
        "MEMORY" => FaultKinds.Ecc,
        "NVLINK" => FaultKinds.NvLink,
        "PCIE" => FaultKinds.PcieDegraded,
        "THERMAL" or "POWER" => FaultKinds.Thermal,
        _ => FaultKinds.HealthCheckFailed,
    };

    private static Condition Failed(string why) => new("dcgmi", FaultKinds.HealthCheckFailed, null, $"dcgmi health -c {why}");

    private static string FirstLine(string output) => output.Split('\n', 2)[0].Trim();
}
