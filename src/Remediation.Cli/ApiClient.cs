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

    /// <summary>Every node, page by page (the service hands out at most 1,000 at a time).</summary>
    public async Task<List<NodeRow>> NodesAsync(CancellationToken ct) => (await FindNodesAsync("", null, null, ct)).Nodes;

    /// <summary>
    /// The nodes that <paramref name="filters"/> (<c>&amp;status=…&amp;q=…</c>) match, after node <paramref name="after"/>, page by
    /// page up to <paramref name="limit"/>; the cursor to go on from when the limit cut the list, and the first page's counts.
    /// </summary>
    public async Task<NodeList> FindNodesAsync(string filters, int? limit, string? after, CancellationToken ct)
    {
        var nodes = new List<NodeRow>();
        Dictionary<string, int>? counts = null;
        do
        {
            var size = Math.Min(1000, (limit ?? int.MaxValue) - nodes.Count);
            var page = await GetAsync<NodePage>($"/api/nodes?limit={size}{filters}{(after is null ? "" : $"&after={Uri.EscapeDataString(after)}")}", ct);
            nodes.AddRange(page.Items);
            counts ??= page.Counts;
            after = page.Next;
        } while (after is not null && nodes.Count < (limit ?? int.MaxValue));
        return new NodeList(nodes, after, counts ?? []);
    }

    public Task<List<TimelineRow>> TimelineAsync(string nodeId, CancellationToken ct, DateTimeOffset? since = null) =>
        GetAsync<List<TimelineRow>>($"/api/nodes/{Uri.EscapeDataString(nodeId)}/timeline"
            + (since is { } s ? $"?since={Uri.EscapeDataString(s.ToString("O"))}" : ""), ct);

    public Task<List<ApprovalRow>> ApprovalsAsync(CancellationToken ct) => GetAsync<List<ApprovalRow>>("/api/approvals", ct);

    public Task<JsonElement> GetJsonAsync(string path, CancellationToken ct) => GetAsync<JsonElement>(path, ct);

    /// <summary>POSTs an optional JSON body; a refusal (4xx) becomes a CliException carrying the service's reason.</summary>
    public async Task<JsonElement> PostAsync(string path, object? body, CancellationToken ct) =>
        await ReadAsync<JsonElement>(path, http.PostAsJsonAsync(path, body ?? new { }, Json, ct), ct);

    private Task<T> GetAsync<T>(string path, CancellationToken ct) => ReadAsync<T>(path, http.GetAsync(path, ct), ct);

    private async Task<T> ReadAsync<T>(string path, Task<HttpResponseMessage> send, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await send;
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"the service at {http.BaseAddress} does not answer ({e.Message}); start it or pass --api");
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new CliException($"the service refused the request: {await ProblemAsync(response, ct)} (pass --token or set REMEDIATION_TOKEN)");
        if ((int)response.StatusCode is >= 400 and < 500)
            throw new CliException(await ProblemAsync(response, ct) ?? $"{path}: {(int)response.StatusCode} {response.ReasonPhrase}");
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

public sealed record NodePage(List<NodeRow> Items, string? Next, Dictionary<string, int> Counts);

public sealed record NodeList(List<NodeRow> Nodes, string? Next, Dictionary<string, int> Counts);

public sealed record NodeRow(string Id, string Status, IncidentRow? Incident, DateTimeOffset? UpdatedAt);

public sealed record IncidentRow(string Id, string Kind, int? Xid, string? Runbook, PendingRow? Pending);

public sealed record PendingRow(string Step, string Action);

public sealed record ApprovalRow(
    string ApprovalId, string NodeId, string IncidentId, string? Runbook, string Kind, int? Xid, string? Device, string? Evidence,
    DateTimeOffset? RequestedAt, DateTimeOffset ExpiresAt);

public sealed record TimelineRow(long Sequence, DateTimeOffset Timestamp, string Type, JsonElement Data);
