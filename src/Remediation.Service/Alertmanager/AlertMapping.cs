using Remediation.Contracts;

namespace Remediation.Service.Alertmanager;

/// <summary>
/// Which fault kind an alert is. Configured names win; otherwise names as dcgm-exporter and node-exporter rule
/// sets spell them (GPUXidError, DCGM_ECC_DBE, NVLinkBandwidthErrors, InfinibandLinkDown) are matched by the
/// word in them, most specific first, so "RowRemapFailure" is a row remap and not a generic health alert.
/// </summary>
public sealed class AlertMapping
{
    public const string Ignore = "ignore";

    private static readonly (string Word, string Kind)[] Guesses =
    [
        ("xid", FaultKinds.Xid),
        ("remap", FaultKinds.RowRemap),
        ("ecc", FaultKinds.Ecc),
        ("dbe", FaultKinds.Ecc),
        ("nvlink", FaultKinds.NvLink),
        ("pcie", FaultKinds.PcieDegraded),
        ("thermal", FaultKinds.Thermal),
        ("temperature", FaultKinds.Thermal),
        ("overheat", FaultKinds.Thermal),
        ("nccl", FaultKinds.NcclTimeout),
        ("flap", FaultKinds.LinkFlap),
        ("linkdown", FaultKinds.LinkDown),
        ("link_down", FaultKinds.LinkDown),
        ("portdown", FaultKinds.LinkDown),
        ("heartbeat", FaultKinds.HeartbeatLost),
        ("health", FaultKinds.HealthCheckFailed),
    ];

    private readonly Dictionary<string, string> _configured;
    private readonly bool _guess;

    public AlertMapping(AlertmanagerOptions options)
    {
        _configured = new Dictionary<string, string>(options.Mappings, StringComparer.OrdinalIgnoreCase);
        _guess = options.DefaultMappings;
        foreach (var (alert, kind) in _configured)
            if (kind != Ignore && !FaultKinds.All.Contains(kind))
                throw new InvalidOperationException(
                    $"Alertmanager:Mappings:{alert} = '{kind}' is not a fault kind (one of {string.Join(", ", FaultKinds.All)}, or '{Ignore}')");
    }

    /// <summary>The fault kind, or null when the alert is not a fault remediation acts on.</summary>
    public string? KindOf(string alertName)
    {
        if (_configured.TryGetValue(alertName, out var kind)) return kind == Ignore ? null : kind;
        if (!_guess) return null;
        foreach (var (word, guessed) in Guesses)
            if (alertName.Contains(word, StringComparison.OrdinalIgnoreCase)) return guessed;
        return null;
    }
}
