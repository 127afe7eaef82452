using System.Net.Http.Json;
using System.Text.Json;

namespace Remediation.Tests.Infrastructure;

/// <summary>Reads which partitions each instance holds, from its /health.</summary>
public static class Partitioned
{
    /// <summary>Waits until the instances hold every partition between them, none twice, each a fair share.</summary>
    public static async Task<List<List<int>>> BalancedAsync(int partitions, params HttpClient[] instances)
    {
        var share = (partitions + instances.Length - 1) / instances.Length;
        List<List<int>> held = [];
        for (var i = 0; i < 300; i++)
        {
            held = [];
            foreach (var http in instances)
            {
                var health = await http.GetFromJsonAsync<JsonElement>("/health");
                held.Add(health.GetProperty("partitions").EnumerateArray().Select(p => p.GetInt32()).ToList());
            }
            var all = held.SelectMany(h => h).ToList();
            if (all.Count == partitions && all.Distinct().Count() == partitions && held.All(h => h.Count <= share)) return held;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the partitions never settled: {string.Join(" | ", held.Select(h => string.Join(",", h)))}");
    }
}
