using System.Text.Json;
using Remediation.Contracts;

namespace Remediation.Service.Alertmanager;

/// <summary>Parses a webhook body and says exactly what is wrong with one that is not a version 4 payload.</summary>
public static class AlertPayloadReader
{
    public static bool TryRead(ReadOnlySpan<byte> body, out AlertmanagerPayload? payload, out string? error)
    {
        payload = null;
        try
        {
            payload = JsonSerializer.Deserialize<AlertmanagerPayload>(body, WireJson.Options);
        }
        catch (JsonException e)
        {
            error = $"malformed JSON: {e.Message}";
            return false;
        }
        error = payload switch
        {
            null => "the body is not an Alertmanager payload (null)",
            { Version: null } => "version is missing; Alertmanager sends \"version\": \"4\"",
            { Version: not "4" } => $"unsupported payload version '{payload.Version}'; only version 4 is understood",
            { Alerts: null } => "alerts is missing",
            _ => payload.Alerts.Select(Problem).FirstOrDefault(p => p is not null),
        };
        return error is null;
    }

    private static string? Problem(AlertmanagerAlert? alert, int index) => alert switch
    {
        null => $"alerts[{index}] is null",
        { Status: not ("firing" or "resolved") } => $"alerts[{index}].status is '{alert.Status}', not firing or resolved",
        { Labels: null } => $"alerts[{index}].labels is missing",
        _ when string.IsNullOrEmpty(alert.AlertName) => $"alerts[{index}] has no alertname label",
        { StartsAt.Year: <= 1 } => $"alerts[{index}].startsAt is missing",
        _ => null,
    };
}
