using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Remediation.Contracts;
using Remediation.Service.Repair;

namespace Remediation.Service.Alertmanager;

/// <summary>Turns a version 4 payload into faults on the wire contract, the same ones an agent would publish.</summary>
public sealed partial class AlertTranslator(AlertmanagerOptions options, AlertMapping mapping)
{
    public const string Source = "alertmanager";

    private readonly string[] _nodeLabels = options.NodeLabels is { Length: > 0 } n ? n : AlertmanagerOptions.DefaultNodeLabels;
    private readonly string[] _xidKeys = options.XidKeys is { Length: > 0 } x ? x : AlertmanagerOptions.DefaultXidKeys;

    [GeneratedRegex(@"\bXid\D{0,3}(\d{1,4})\b", RegexOptions.IgnoreCase)]
    private static partial Regex XidInText();

    public AlertBatch Translate(AlertmanagerPayload payload)
    {
        var faults = new List<FaultDetected>();
        var resolved = new List<ResolvedAlert>();
        var skipped = new List<SkippedAlert>();
        foreach (var alert in payload.Alerts ?? [])
        {
            if (alert.Status == "resolved")
            {
                resolved.Add(new ResolvedAlert(alert.AlertName, NodeOf(alert), alert.Fingerprint, alert.StartsAt, alert.EndsAt));
                continue;
            }
            var fault = ToFault(alert, out var reason);
            if (fault is null) skipped.Add(new SkippedAlert(alert.AlertName, alert.Fingerprint, reason!));
            else faults.Add(fault);
        }
        return new AlertBatch(faults, resolved, skipped);
    }

    private FaultDetected? ToFault(AlertmanagerAlert alert, out string? reason)
    {
        reason = null;
        var kind = mapping.KindOf(alert.AlertName);
        if (kind is null) reason = "no mapping to a fault kind";
        var node = NodeOf(alert);
        if (node is null) reason ??= $"no node label (looked at {string.Join(", ", _nodeLabels)})";
        var xid = kind == FaultKinds.Xid ? XidOf(alert) : null;
        if (kind == FaultKinds.Xid && xid is null) reason ??= $"an Xid alert without an Xid number (looked at {string.Join(", ", _xidKeys)}, summary, description)";
        if (reason is not null) return null;

        var fault = new FaultDetected(EventId(alert), node!, kind!, xid, DeviceOf(alert), MessageOf(alert), alert.StartsAt, Source, alert.Label("cluster"));
        reason = FaultValidation.Validate(fault);
        return reason is null ? fault : null;
    }

    // Alertmanager re-sends a firing alert every repeat_interval with the same fingerprint and startsAt; the same
    // eventId makes the service record those repeats as ignored. A new firing after resolution has a new startsAt.
    public static string EventId(AlertmanagerAlert alert)
    {
        var identity = alert.Fingerprint ?? LabelsHash(alert);
        return $"alertmanager:{identity}:{alert.StartsAt.ToUniversalTime():yyyy-MM-ddTHH:mm:ss.fffffffZ}";
    }

    private static string LabelsHash(AlertmanagerAlert alert)
    {
        var labels = string.Join('\n', (alert.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(labels))[..8]);
    }

    private string? NodeOf(AlertmanagerAlert alert)
    {
        foreach (var label in _nodeLabels)
            if (alert.Label(label) is { Length: > 0 } value && HostOf(value) is { } host) return host;
        return null;
    }

    // instance is host:port (or [v6]:port); a URL, as blackbox probes use, names no node.
    private static string? HostOf(string value)
    {
        if (value.Contains("://", StringComparison.Ordinal) || value.Contains('/')) return null;
        if (value.StartsWith('[')) return null;
        var colon = value.LastIndexOf(':');
        var host = colon > 0 && value.IndexOf(':') == colon ? value[..colon] : value;
        return SchedulerInput.Problem(host, "node") is null ? host : null;
    }

    private int? XidOf(AlertmanagerAlert alert)
    {
        foreach (var key in _xidKeys)
            if (double.TryParse(alert.Label(key) ?? alert.Annotation(key), CultureInfo.InvariantCulture, out var xid) && xid >= 1 && xid == Math.Floor(xid))
                return (int)xid;
        foreach (var text in new[] { alert.Annotation("summary"), alert.Annotation("description") })
            if (text is not null && XidInText().Match(text) is { Success: true } m) return int.Parse(m.Groups[1].Value);
        return null;
    }

    // dcgm-exporter labels each series with the GPU's PCI bus id, UUID and index.
    private static string? DeviceOf(AlertmanagerAlert alert) =>
        alert.Label("pci_bus_id") is { } pci ? $"PCI:{pci}"
        : alert.Label("UUID") ?? (alert.Label("gpu") is { } gpu ? $"gpu{gpu}" : alert.Label("device"));

    private static string MessageOf(AlertmanagerAlert alert)
    {
        var text = alert.Annotation("summary") ?? alert.Annotation("description") ?? alert.Annotation("message");
        return text is null ? alert.AlertName : $"{alert.AlertName}: {text}";
    }
}
