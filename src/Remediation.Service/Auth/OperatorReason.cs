namespace Remediation.Service.Auth;

/// <summary>
/// Why an operator did what they asked over HTTP: every change to a node, an approval or the automation is recorded
/// with who did it and why.
/// </summary>
public static class OperatorReason
{
    /// <summary>The reason from a JSON body <c>{"reason": "…"}</c>; null when there is none or it is blank.</summary>
    public static async Task<string?> ReasonOf(HttpContext http, CancellationToken ct)
    {
        if (http.Request.ContentLength is 0 or null && !http.Request.Headers.ContentType.Any()) return null;
        try
        {
            var body = await http.Request.ReadFromJsonAsync<ReasonBody>(ct);
            return string.IsNullOrWhiteSpace(body?.Reason) ? null : body.Reason.Trim();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public static IResult NeedsReason(string what) =>
        Results.Problem($"{what} needs a reason: send a JSON body {{\"reason\": \"...\"}}", statusCode: 400);

    private sealed record ReasonBody(string? Reason);
}
