using Remediation.Agent.Detecting;
using Remediation.Agent.Detecting.Pcie;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Detecting;

public sealed class PcieDetectorTests : IDisposable
{
    private const string Gpu = "/sys/bus/pci/devices/0000:01:00.0";
    private const string Nic = "/sys/bus/pci/devices/0000:0c:00.0";
    private readonly HostTree _host = HostTree.Copy();

    private PcieDetector Detector() =>
        new(new DetectorContext(_host.Root, "gpu-node-009", null, new FakeRunner(), new FixedClock(DateTimeOffset.Parse("2026-11-25T10:00:00Z"))));

    [Fact]
    public async Task The_L4_linked_at_x1_of_x16_is_degraded_and_reported_once()
    {
        var detector = Detector();
        var fault = Assert.Single(await detector.PollAsync(default));
        Assert.Equal((FaultKinds.PcieDegraded, "PCI:0000:c1:00"), (fault.Kind, fault.Device));
        Assert.Contains("x1 of x16", fault.Message);
        Assert.Empty(await detector.PollAsync(default));
    }

    [Fact]
    public async Task A_GPU_losing_lanes_between_polls_is_reported()
    {
        var detector = Detector();
        await detector.PollAsync(default);
        _host.Write($"{Gpu}/current_link_width", "8");

        var fault = Assert.Single(await detector.PollAsync(default));
        Assert.Equal("PCI:0000:01:00", fault.Device);
    }

    [Fact]
    public async Task A_GPU_at_a_lower_speed_is_power_saving_not_degraded()
    {
        var detector = Detector();
        await detector.PollAsync(default);
        _host.Write($"{Gpu}/current_link_speed", "2.5 GT/s PCIe");
        Assert.Empty(await detector.PollAsync(default));
    }

    [Fact]
    public async Task A_NIC_below_its_speed_is_degraded_also_in_the_old_kernel_format()
    {
        var detector = Detector();
        await detector.PollAsync(default);
        _host.Write($"{Nic}/current_link_speed", "8 GT/s");

        var fault = Assert.Single(await detector.PollAsync(default));
        Assert.Equal((FaultKinds.PcieDegraded, "PCI:0000:0c:00.0"), (fault.Kind, fault.Device));
        Assert.Contains("8 of 32 GT/s", fault.Message);
    }

    public void Dispose() => _host.Dispose();
}
