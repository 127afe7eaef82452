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

        // Nobody answers, so every driver reload that starts stays in flight: each instance alone would start two.
        var nodes = Enumerable.Range(1, 30).Select(i => $"gpu-budget-{i:D2}").ToList();
        await Service.PublishAsync([.. nodes.Select(n => Faults.Of(n, "driver_hang", "PCI:0000:3b:00"))]);

        List<JsonElement> incidents = [];
        for (var i = 0; i < 200 && incidents.Count < nodes.Count; i++)
        {
            await Task.Delay(100);
            var all = await Service.Http.GetFromJsonAsync<JsonElement>("/api/nodes?limit=1000");
            incidents = all.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("incident"))
                .Where(i => i.ValueKind == JsonValueKind.Object && (Has(i, "pending") || Has(i, "deferred"))).ToList();
        }
        Assert.Equal(nodes.Count, incidents.Count);
        Assert.Equal(2, incidents.Count(i => Has(i, "pending")));
        Assert.Equal(28, incidents.Count(i => Has(i, "deferred")));
    }

    private static bool Has(JsonElement incident, string property) =>
        incident.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null;
}
