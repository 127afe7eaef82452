using Remediation.Contracts;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Auth;
using Remediation.Service.Operators;

namespace Remediation.Service.Alertmanager;

/// <summary>POST /webhooks/alertmanager: Alertmanager's webhook_config receiver, behind its own bearer token.</summary>
public static class AlertmanagerEndpoint
{
    private const int MaxBody = 4 * 1024 * 1024;

    /// <summary>The webhook's parts, configured by the Alertmanager section.</summary>
    public static IServiceCollection AddAlertmanager(this IServiceCollection services, IConfiguration config)
    {
        var alerts = config.GetSection("Alertmanager").Get<AlertmanagerOptions>() ?? new AlertmanagerOptions();
        services.AddSingleton(alerts);
        services.AddSingleton(new AlertMapping(alerts));
        services.AddSingleton<AlertTranslator>();
        services.AddSingleton<AlertPublisher>();
        return services;
    }

    public static void MapAlertmanager(this IEndpointRouteBuilder app) => app.MapPost("/webhooks/alertmanager", ReceiveAsync);

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request, AlertmanagerOptions options, AlertTranslator translator, AlertPublisher publisher,
        OperatorInbox inbox, ILoggerFactory loggers, CancellationToken ct)
    {
        // Fail closed: an unconfigured token must not mean an open door into the remediation pipeline.
        if (string.IsNullOrEmpty(options.Token))
            return SharedSecret.Unauthorized(request, "Alertmanager:Token is not configured; the webhook refuses every request until it is");
        if (!SharedSecret.Matches(request, options.Token)) return SharedSecret.Unauthorized(request, "missing or wrong bearer token");

        var body = await ReadAsync(request, ct);
        if (body is null) return Results.Problem($"the body is larger than {MaxBody} bytes", statusCode: 413);
        if (!AlertPayloadReader.TryRead(body, out var payload, out var error)) return Results.Problem(error, statusCode: 400);

        var batch = translator.Translate(payload!);
        var log = loggers.CreateLogger(typeof(AlertmanagerEndpoint));
        try
        {
            await publisher.PublishAsync(batch.Faults, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Alertmanager faults could not be published; answering 503 so Alertmanager retries");
            return Results.Problem($"the faults could not be published: {e.Message}", statusCode: 503);
        }
        // Resolved alerts change nothing on the node, but its timeline should say the alert ended.
        // Submitted together, so a payload of many resolved alerts is decided in one batch, not one commit each.
        await Task.WhenAll(batch.Resolved.Where(a => NodeNames.IsValid(a.NodeId)).Select(alert =>
            inbox.SubmitAsync(new AlertResolvedInput(alert.NodeId!, alert.AlertName, alert.Fingerprint, alert.StartsAt, alert.EndsAt), ct)));
        foreach (var alert in batch.Skipped)
            log.LogInformation("Alertmanager: {Alert} ({Fingerprint}) skipped: {Reason}", alert.AlertName, alert.Fingerprint, alert.Reason);
        return Results.Ok(new { published = batch.Faults.Select(f => f.EventId), batch.Resolved, batch.Skipped });
    }

    private static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBody) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
