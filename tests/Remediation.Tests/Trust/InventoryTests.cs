using Remediation.Contracts;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Trust;

/// <summary>With an inventory, a fault for a node the fleet does not have is parked, not acted on.</summary>
public sealed class InventoryTests(Servers servers) : ServiceTests(servers), IDisposable
{
    private readonly string _topology = WriteTopology();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storm:TopologyFile"] = _topology,
        ["Inventory:FromTopology"] = "true",
    };

    [Fact]
    public async Task A_fault_for_a_node_outside_the_inventory_is_parked_with_the_reason()
    {
        await Service.PublishAsync(Faults.Xid("gpu-made-up-9", 48), Faults.Xid("gpu-inv-1", 13));

        await Service.WaitForNodeAsync("gpu-inv-1", n => n.GetProperty("version").GetInt64() >= 1);
        var parked = await InvalidQueue.DrainAsync(Service, Exchanges.InvalidFaultsQueue, 1);

        Assert.Equal("node 'gpu-made-up-9' is not in the inventory (Inventory:FromTopology, 2 nodes)", parked.Single().Reason);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Service.Http.GetAsync("/api/nodes/gpu-made-up-9")).StatusCode);
    }

    private static string WriteTopology()
    {
        var path = Path.GetTempFileName();
        File.WriteAllLines(path, ["node,rack,switch", "gpu-inv-1,rack-1,leaf-1", "gpu-inv-2,rack-1,leaf-1"]);
        return path;
    }

    public void Dispose() => File.Delete(_topology);
}
