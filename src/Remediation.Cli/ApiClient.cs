using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Remediation.Cli;

/// <summary>The service's HTTP API as the CLI reads it.</summary>
public sealed class ApiClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ApiClient For(CliArgs args)
    {
        var http = new HttpClient { BaseAddress = new Uri(args.Api), Timeout = TimeSpan.FromSeconds(10) };
        if (args.Token is { } token) http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return new ApiClient(http);
    }

    public Task<List<NodeRow>> NodesAsync(CancellationToken ct) => GetAsync<List<NodeRow>>("/api/nodes", ct);

    public Task<List<TimelineRow>> TimelineAsync(string nodeId, CancellationToken ct) =>
        GetAsync<List<TimelineRow>>($"/api/nodes/{Uri.EscapeDataString(nodeId)}/timeline", ct);

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(path, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"the service at {http.BaseAddress} does not answer ({e.Message}); start it or pass --api");
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new CliException($"the service refused the request: {await ProblemAsync(response, ct)} (pass --token or set REMEDIATION_TOKEN)");
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new CliException(await ProblemAsync(response, ct) ?? $"{path} was not found");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    private static async Task<string?> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return doc.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record NodeRow(string Id, string Status, IncidentRow? Incident, DateTimeOffset? UpdatedAt);

public sealed record IncidentRow(string Id, string Kind, int? Xid, string? Runbook, PendingRow? Pending);

public sealed record PendingRow(string Step, string Action);

public sealed record TimelineRow(long Sequence, DateTimeOffset Timestamp, string Type, JsonElement Data);
