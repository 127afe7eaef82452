using System.Text.Json;

namespace Remediation.Contracts;

/// <summary>
/// Reads a bus message that is either plain JSON or a MassTransit envelope (its payload sits under "message").
/// Returns the reason instead of throwing, so a consumer can route bad input without an exception on the hot path.
/// </summary>
public static class WireParser
{
    public static bool TryParse<T>(ReadOnlyMemory<byte> body, out T? message, out string? error) where T : class
    {
        message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"expected a JSON object, got {root.ValueKind}";
                return false;
            }
            if (root.TryGetProperty("messageType", out _) && root.TryGetProperty("message", out var inner))
                root = inner;
            message = root.Deserialize<T>(WireJson.Options);
            error = message is null ? "message is null" : null;
            return message is not null;
        }
        catch (JsonException e)
        {
            error = $"malformed JSON: {e.Message}";
            return false;
        }
    }
}
