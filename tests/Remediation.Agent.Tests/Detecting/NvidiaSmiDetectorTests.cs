using Remediation.Agent.Detecting;
using Remediation.Agent.Detecting.Gpu;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Detecting;

public sealed class NvidiaSmiDetectorTests : IDisposable
{
    private const string Second = "00000000:C1:00.0";
    private readonly HostTree _host = HostTree.Copy();
    private readonly FakeRunner _runner = new();
    private string _xml = SmiFixtures.Read(SmiFixtures.L4);

    public NvidiaSmiDetectorTests() => _runner.When(a => a == NvidiaSmiDetector.Query, () => new CommandResult(0, _xml));

    private NvidiaSmiDetector Detector() =>
        new(new DetectorContext(_host.Root, "gpu-node-017", "train-a", _runner, new FixedClock(DateTimeOffset.Parse("2026-11-25T10:00:00Z"))));

    [Fact]
    public async Task Healthy_report_is_no_fault()
    {
        Assert.Empty(await Detector().PollAsync(default));
        Assert.Equal(["nvidia-smi -q -x"], _runner.Lines);
    }

    [Fact]
    public async Task Idle_laptop_GPU_at_a_lower_PCIe_gen_is_not_degraded()
    {
        _xml = SmiFixtures.Read(SmiFixtures.Laptop);
        Assert.Empty(await Detector().PollAsync(default));
    }

    [Theory]
    [InlineData("Reset")]
    [InlineData("Reboot")]
    [InlineData("Drain P2P")]
    [InlineData("Drain and Reset")]
    public async Task A_GPU_Recovery_Action_other_than_None_is_reported_with_the_drivers_words(string action)
    {
        _xml = SmiFixtures.Read(SmiFixtures.Laptop);
        var detector = Detector();
        Assert.Empty(await detector.PollAsync(default));

        _xml = SmiFixtures.With(_xml, "00000000:01:00.0", "gpu_recovery_action", action);
        var fault = Assert.Single(await detector.PollAsync(default));

        Assert.Equal((FaultKinds.HealthCheckFailed, "PCI:0000:01:00"), (fault.Kind, fault.Device));
        Assert.Equal($"GPU Recovery Action: {action} on GPU 0000:01:00.0", fault.Message);
    }

    [Fact]
    public async Task Busy_GPU_below_its_PCIe_gen_is_degraded()
    {
        _xml = SmiFixtures.With(SmiFixtures.Read(SmiFixtures.Laptop), "00000000:01:00.0", "clocks_event_reason_gpu_idle", "Not Active");
        var fault = Assert.Single(await Detector().PollAsync(default));
        Assert.Equal((FaultKinds.PcieDegraded, "PCI:0000:01:00"), (fault.Kind, fault.Device));
    }

    [Fact]
    public async Task New_uncorrectable_ECC_errors_are_reported_once_per_rise()
    {
        var detector = Detector();
        await detector.PollAsync(default);

        _xml = SmiFixtures.With(_xml, Second, "dram_uncorrectable", "2");
        var fault = Assert.Single(await detector.PollAsync(default));
        Assert.Equal((FaultKinds.Ecc, "PCI:0000:c1:00", "gpu-node-017", "train-a", "nvidia-smi"), (fault.Kind, fault.Device, fault.NodeId, fault.Cluster, fault.Source));
        Assert.Contains("2 uncorrectable ECC errors", fault.Message);
        Assert.Null(FaultValidation.Validate(fault));

        Assert.Empty(await detector.PollAsync(default));
        _xml = SmiFixtures.With(_xml, Second, "dram_uncorrectable", "3");
        Assert.NotEqual(fault.EventId, Assert.Single(await detector.PollAsync(default)).EventId);
    }

    [Fact]
    public async Task Row_remap_failure_is_row_remap_and_a_pending_remap_is_ecc()
    {
        _xml = SmiFixtures.With(_xml, Second, "remapped_row_failure", "Yes");
        _xml = SmiFixtures.With(_xml, "00000000:01:00.0", "remapped_row_pending", "Yes");

        var faults = await Detector().PollAsync(default);

        Assert.Equal([(FaultKinds.Ecc, "PCI:0000:01:00"), (FaultKinds.RowRemap, "PCI:0000:c1:00")],
            faults.Select(f => (f.Kind, f.Device!)).Order());
    }

    [Fact]
    public async Task Thermal_slowdown_is_reported_when_it_starts_and_again_when_it_returns()
    {
        var detector = Detector();
        var healthy = _xml;
        _xml = SmiFixtures.With(healthy, Second, "clocks_event_reason_hw_thermal_slowdown", "Active");
        var first = Assert.Single(await detector.PollAsync(default));
        Assert.Equal(FaultKinds.Thermal, first.Kind);
        Assert.Empty(await detector.PollAsync(default));

        _xml = healthy;
        Assert.Empty(await detector.PollAsync(default));
        _xml = SmiFixtures.With(healthy, Second, "clocks_event_reason_sw_thermal_slowdown", "Active");
        var second = Assert.Single(await detector.PollAsync(default));
        Assert.NotEqual(first.EventId, second.EventId);
    }

    [Fact]
    public async Task A_restarted_agent_reports_a_standing_fault_under_the_same_event_id()
    {
        _xml = SmiFixtures.With(_xml, Second, "remapped_row_failure", "Yes");
        var before = Assert.Single(await Detector().PollAsync(default));
        var after = Assert.Single(await Detector().PollAsync(default));
        Assert.Equal(before.EventId, after.EventId);
    }

    [Fact]
    public async Task A_failing_nvidia_smi_is_a_failed_health_check_reported_once()
    {
        // The message nvidia-smi prints when a GPU has fallen off the bus (seen with Xid 79).
        _runner.When(a => a == NvidiaSmiDetector.Query,
            new CommandResult(15, "Unable to determine the device handle for GPU 0000:C1:00.0: Unknown Error\n"));
        var detector = Detector();

        var fault = Assert.Single(await detector.PollAsync(default));
        Assert.Equal(FaultKinds.HealthCheckFailed, fault.Kind);
        Assert.Contains("Unable to determine the device handle for GPU 0000:C1:00.0", fault.Message);
        Assert.Empty(await detector.PollAsync(default));
    }

    [Fact]
    public async Task No_nvidia_smi_installed_is_not_a_fault()
    {
        _runner.When(a => a == NvidiaSmiDetector.Query, new CommandResult(127, "cannot start nvidia-smi"));
        Assert.Empty(await Detector().PollAsync(default));
    }

    public void Dispose() => _host.Dispose();
}
