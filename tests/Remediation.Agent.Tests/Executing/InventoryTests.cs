using Remediation.Agent.Executing;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

/// <summary>The node's expected inventory: a GPU that fell off the bus is missing, not forgotten.</summary>
public sealed class InventoryTests : IDisposable
{
    private readonly HostTree _host = HostTree.Copy();
    private readonly string _state = StateDir();
    private int _run;

    private string InventoryFile => Path.Combine(_state, NodeInventory.FileName);

    /// <summary>node_health with the nvidia-smi of the two-L4 node, minus the GPUs no longer on the bus.</summary>
    private Task<StepCompleted> NodeHealth(FakeRunner? runner = null) =>
        Executor(_host, runner ?? FakeRunner.OnL4Node(), _state)
            .ExecuteAsync(Step("node_health", commandId: $"inc-gpu-node-017-1/reboot/check-node/{++_run}"), default);

    private void FallOffTheBus(string pci) => _host.Delete($"/sys/bus/pci/devices/{pci}");

    [Fact]
    public async Task The_first_healthy_node_check_takes_the_inventory_by_serial_pci_address_and_hca()
    {
        var result = await NodeHealth();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("inventory taken: 2 GPU(s), 2 HCA(s), 2 port rate(s)", result.Output);
        var inventory = NodeInventory.Load(InventoryFile)!;
        Assert.Equal(
            [new("0000:01:00.0", "1654523003308", "GPU-c5533cd4-5a60-059e-348d-b6d7466932e4"),
             new NodeInventory.Gpu("0000:c1:00.0", "1654523001128", "GPU-128ab6fb-6ec9-fd74-b479-4a5fd14f55bd")], inventory.Gpus);
        Assert.Equal(["mlx5_0", "mlx5_1"], inventory.Hcas);
        Assert.Equal(new Dictionary<string, string> { ["mlx5_0/1"] = "400 Gb/sec (4X NDR)", ["mlx5_1/1"] = "400 Gb/sec (4X NDR)" }, inventory.Ports);
        Assert.Equal(("healthy check", Now), (inventory.Source, inventory.TakenAt));
    }

    [Fact]
    public async Task A_gpu_that_fell_off_the_bus_after_the_inventory_is_missing()
    {
        await NodeHealth();
        FallOffTheBus("0000:c1:00.0");

        var result = await NodeHealth();

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("GPU 0000:c1:00.0 (serial 1654523001128) is missing: not on the PCI bus", result.Output);
        Assert.Contains("(expected by the node's inventory, healthy check 2026-11-25 10:00:00Z)", result.Output);
    }

    [Fact]
    public async Task Without_an_inventory_the_same_node_would_pass_which_is_why_one_is_kept()
    {
        FallOffTheBus("0000:c1:00.0");

        var result = await NodeHealth();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("1 GPU(s) healthy", result.Output);
    }

    [Fact]
    public async Task An_inventory_from_configuration_is_held_to_from_the_start()
    {
        new NodeInventory([new("0000:01:00.0", "1654523003308", null), new("0000:c1:00.0", "1654523001128", null)], ["mlx5_0", "mlx5_1", "mlx5_2"],
            "configuration", Now.AddDays(-3)).Save(InventoryFile);

        var result = await NodeHealth();

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("HCA mlx5_2 is missing", result.Output);
        Assert.Contains("configuration 2026-11-22", result.Output);
    }

    [Fact]
    public async Task A_replaced_gpu_at_the_same_address_is_noted_and_its_new_serial_kept()
    {
        new NodeInventory([new("0000:01:00.0", "1650000000001", null), new("0000:c1:00.0", "1654523001128", null)], ["mlx5_0", "mlx5_1"],
            "configuration", Now.AddDays(-3)).Save(InventoryFile);

        var result = await NodeHealth();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("inventory: GPU 0000:01:00.0 was replaced (serial 1650000000001 -> 1654523003308)", result.Output);
        Assert.Equal("1654523003308", NodeInventory.Load(InventoryFile)!.Gpus[0].Serial);
    }

    [Fact]
    public async Task An_inventory_that_does_not_parse_fails_the_check_rather_than_expecting_nothing()
    {
        Directory.CreateDirectory(_state);
        await File.WriteAllTextAsync(InventoryFile, "{ not json");

        var result = await NodeHealth();

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("is not an inventory", result.Output);
    }

    [Fact]
    public async Task A_single_gpu_check_neither_reads_nor_takes_the_inventory()
    {
        var result = await Executor(_host, FakeRunner.OnL4Node(), _state)
            .ExecuteAsync(Step("gpu_health", new() { ["device"] = "PCI:0000:01:00" }), default);

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.False(File.Exists(InventoryFile));
    }

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
