namespace Remediation.Service.Approvals.Slack;

/// <summary>
/// <c>POST /slack/interactions</c>, Slack's Interactivity Request URL. The signature is checked on the raw bytes before
/// anything is parsed; the click is queued and answered at once, because Slack gives up after three seconds.
/// </summary>
public static class SlackInteractionsEndpoint
{
    // Slack's payloads carry the whole message back; this is far above any approval message and stops a flood.
    private const int MaxBody = 1 << 20;

    public static void MapSlackInteractions(this IEndpointRouteBuilder app) => app.MapPost("/slack/interactions", HandleAsync);

    private static async Task<IResult> HandleAsync(HttpRequest request, SlackOptions options, SlackSignature signature,
        SlackInteractionQueue queue, ILoggerFactory logs, CancellationToken ct)
    {
        var body = await ReadAsync(request.Body, ct);
        if (body is null) return Results.Problem($"the body is larger than {MaxBody} bytes", statusCode: 413);
        var forged = signature.Problem(options.SigningSecret,
            request.Headers[SlackSignature.TimestampHeader].ToString(), request.Headers[SlackSignature.SignatureHeader].ToString(), body);
        if (forged is not null)
        {
            logs.CreateLogger(typeof(SlackInteractionsEndpoint)).LogWarning("refused a Slack interaction: {Problem}", forged);
            return Results.Problem(forged, title: "Slack request verification failed", statusCode: 401);
        }
        if (!SlackInteraction.TryParse(body, out var click, out var malformed))
            return Results.Problem(malformed, title: "Malformed Slack interaction", statusCode: 400);
        if (click is not null && !queue.TryEnqueue(click))
            return Results.Problem("too many Slack interactions are waiting; try again", statusCode: 503);
        return Results.Ok();
    }

    private static async Task<byte[]?> ReadAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBody) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
