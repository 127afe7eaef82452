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
        if (body.Length > WireLimits.MaxBodyBytes)
        {
            error = $"body is {body.Length} bytes (at most {WireLimits.MaxBodyBytes})";
            return false;
        }
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
            // A string the decoder cannot read (invalid UTF-8, an unpaired surrogate escape) says why only inside.
            error = e.InnerException is { } inner ? $"malformed JSON: {e.Message} ({inner.Message})" : $"malformed JSON: {e.Message}";
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // Text the decoder cannot turn into a string (invalid UTF-8 inside a string, an unpaired surrogate escape).
            error = $"undecodable JSON: {e.Message}";
            return false;
        }
    }
}
