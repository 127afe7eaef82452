using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace Remediation.Service.Repair.Kubernetes;

/// <summary>Turns the client's exceptions into <see cref="SchedulerException"/>s that say what the API server said.</summary>
internal static class KubernetesCalls
{
    public static async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException e)
        {
            throw new SchedulerException($"{what}: the API server answered {(int)e.Response.StatusCode} {Message(e)}", e);
        }
        catch (HttpRequestException e)
        {
            throw new SchedulerException($"{what}: the API server could not be reached: {e.Message}", e);
        }
    }

    public static HttpStatusCode? Status(Exception e) => (e.InnerException as HttpOperationException)?.Response.StatusCode;

    /// <summary>The message of the Status object the API server sends with an error, else the raw body.</summary>
    public static string Message(HttpOperationException e)
    {
        var body = e.Response.Content ?? "";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var m)) return m.GetString() ?? body;
        }
        catch (JsonException)
        {
        }
        return body.Length <= 300 ? body : body[..300];
    }
}
