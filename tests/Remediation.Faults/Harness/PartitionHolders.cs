using System.Net.Http.Json;
using System.Text.Json;

namespace Remediation.Faults.Harness;

/// <summary>
/// Who holds which partition, as each instance's /health says. The scale-out scenarios wait on it instead of on a
/// fixed sleep, because how fast instances spread or take over partitions is part of what they measure.
/// </summary>
public static class PartitionHolders
{
    /// <summary>The partition count the scale-out scenarios pass explicitly, so a changed default cannot skew them.</summary>
    public const int Count = 16;

    public const string Setting = "--Partitions:Count=16";

    // The service's PartitionMap.Of for a node the topology does not know (the suite passes no topology file):
    // FNV-1a of the node id, so the scenarios can tell which instance holds a node.
    public static int Of(string nodeId) => (int)(nodeId.Aggregate(2166136261u, (hash, c) => (hash ^ c) * 16777619u) % Count);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>The partitions the instance holds; a killed or unreachable instance holds none it can work on.</summary>
    public static async Task<IReadOnlyList<int>> OfAsync(ServiceProcess service, CancellationToken ct)
    {
        try
        {
            // /health answers 200, or 503 with the same body when a server is unreachable; either way it names the partitions.
            using var response = await Http.GetAsync($"{service.Url}/health", ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            return body.GetProperty("partitions").EnumerateArray().Select(p => p.GetInt32()).ToList();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            return [];
        }
    }

    /// <summary>
    /// True when the instances between them hold every partition, none holds one another also holds, and each holds
    /// some: one instance holding everything also covers them once, but then the others have not taken their share yet.
    /// </summary>
    public static async Task<bool> SharedOnceAsync(IReadOnlyList<ServiceProcess> services, CancellationToken ct)
    {
        var held = new List<IReadOnlyList<int>>();
        foreach (var service in services) held.Add(await OfAsync(service, ct));
        var all = held.SelectMany(h => h).ToList();
        return all.Count == Count && all.Distinct().Count() == Count && held.All(h => h.Count > 0);
    }

    /// <summary>"[0,3,7] [1,2] …" for the notes: how the partitions were spread.</summary>
    public static async Task<string> DescribeAsync(IReadOnlyList<ServiceProcess> services, CancellationToken ct)
    {
        var parts = new List<string>();
        foreach (var service in services) parts.Add($"[{string.Join(",", await OfAsync(service, ct))}]");
        return string.Join(" ", parts);
    }
}
