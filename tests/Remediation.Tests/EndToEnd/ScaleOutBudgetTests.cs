using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>The fleet budget holds across instances, although each decides its own partitions' nodes.</summary>
public sealed class ScaleOutBudgetTests(Servers servers) : ServiceTests(servers)
{
    private const int Partitions = 16;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Partitions:Count"] = Partitions.ToString(),
        ["Partitions:Rebalance"] = "00:00:00.500",
        ["Budget:MaxDisruptive"] = "2",
        // Every driver reload quarantines its node first; this class is about the disruptive limit, not the out-of-service one.
        ["Budget:MaxOutOfServicePercent"] = "100",
    };

    [Fact]
    public async Task Three_instances_together_never_start_more_disruptive_steps_than_the_budget_allows()
    {
        await using var second = await Service.StartInstanceAsync();
        await using var third = await Service.StartInstanceAsync();
        await Partitioned.BalancedAsync(Partitions, Service.Http, second.Http, third.Http);

        // The agents collect evidence but never answer a driver reload, so every reload that starts stays in flight:
        // each instance alone would start two.
        var nodes = Enumerable.Range(1, 30).Select(i => $"gpu-budget-{i:D2}").ToList();
        await using var agents = await Service.StartAgentsAsync(nodes, succeeds: _ => true, answers: step => step.Action != "driver_reload");
        await Service.PublishAsync([.. nodes.Select(n => Faults.Of(n, "driver_hang", "PCI:0000:3b:00"))]);

        // Settled: two reloads in flight, every other node waiting on the budget for its cordon or its reload.
        List<JsonElement> incidents = [];
        List<string?> reloading = [];
        for (var i = 0; i < 300; i++)
        {
            await Task.Delay(100);
            var all = await Service.Http.GetFromJsonAsync<JsonElement>("/api/nodes?limit=1000");
            incidents = all.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("incident"))
                .Where(i => i.ValueKind == JsonValueKind.Object && (Has(i, "pending") || Has(i, "deferred"))).ToList();
            reloading = incidents.Where(i => Has(i, "pending")).Select(i => i.GetProperty("pending").GetProperty("action").GetString()).ToList();
            Assert.True(reloading.Count(a => a == "driver_reload") <= 2, $"more driver reloads in flight than the budget allows: {reloading.Count}");
            if (incidents.Count == nodes.Count && reloading.Count == 2 && reloading.All(a => a == "driver_reload")) break;
        }
        Assert.Equal(nodes.Count, incidents.Count);
        Assert.True(reloading.Count == 2 && reloading.All(a => a == "driver_reload"), $"steps in flight: {string.Join(", ", reloading)}");
        Assert.Equal(28, incidents.Count(i => Has(i, "deferred")));
    }

    private static bool Has(JsonElement incident, string property) =>
        incident.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null;
}
