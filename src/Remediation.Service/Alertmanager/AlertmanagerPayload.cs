namespace Remediation.Service.Alertmanager;

/// <summary>
/// The body Alertmanager's webhook_config POSTs, payload version 4 (prometheus.io, "webhook_config").
/// Only what remediation reads is declared; unknown fields are ignored so newer Alertmanagers still parse.
/// </summary>
public sealed record AlertmanagerPayload(
    string? Version,
    string? Status,
    string? Receiver,
    string? GroupKey,
    string? ExternalUrl,
    IReadOnlyList<AlertmanagerAlert>? Alerts);

public sealed record AlertmanagerAlert(
    string? Status,
    IReadOnlyDictionary<string, string>? Labels,
    IReadOnlyDictionary<string, string>? Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? GeneratorUrl,
    string? Fingerprint)
{
    public string? Label(string name) => Labels?.GetValueOrDefault(name);

    public string? Annotation(string name) => Annotations?.GetValueOrDefault(name);

    public string AlertName => Label("alertname") ?? "";
}
