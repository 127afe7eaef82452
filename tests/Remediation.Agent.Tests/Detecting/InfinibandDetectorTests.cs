using Remediation.Agent.Detecting;
using Remediation.Agent.Detecting.Fabric;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Detecting;

public sealed class InfinibandDetectorTests : IDisposable
{
    private const string Ib = "/sys/class/infiniband/mlx5_0/ports/1";
    private const string Roce = "/sys/class/infiniband/mlx5_1/ports/1";
    private readonly HostTree _host = HostTree.Copy();

    private InfinibandDetector Detector() =>
        new(new DetectorContext(_host.Root, "gpu-node-042", null, new FakeRunner(), new FixedClock(DateTimeOffset.Parse("2026-11-25T10:00:00Z"))));

    [Fact]
    public async Task Active_ports_are_no_fault()
    {
        var detector = Detector();
        Assert.Empty(await detector.PollAsync(default));
        Assert.Empty(await detector.PollAsync(default));
    }

    [Fact]
    public async Task A_port_leaving_ACTIVE_is_link_down_once()
    {
        var detector = Detector();
        await detector.PollAsync(default);
        _host.Write($"{Ib}/state", "1: DOWN");
        _host.Write($"{Ib}/phys_state", "2: Polling");
        _host.Write($"{Ib}/counters/link_downed", "1");

        var fault = Assert.Single(await detector.PollAsync(default));
        Assert.Equal((FaultKinds.LinkDown, "mlx5_0/1"), (fault.Kind, fault.Device));
        Assert.Contains("1: DOWN", fault.Message);
        Assert.Empty(await detector.PollAsync(default));
    }

    [Fact]
    public async Task Link_downed_rising_on_an_active_port_is_a_flap()
    {
        var detector = Detector();
        await detector.PollAsync(default);
        _host.Write($"{Ib}/counters/link_downed", "3");

        var fault = Assert.Single(await detector.PollAsync(default));
        Assert.Equal((FaultKinds.LinkFlap, "mlx5_0/1"), (fault.Kind, fault.Device));
        Assert.Empty(await detector.PollAsync(default));
    }

    [Fact]
    public async Task A_port_that_went_down_and_came_back_reports_down_then_no_second_flap_for_the_same_count()
    {
        var detector = Detector();
        await detector.PollAsync(default);
        _host.Write($"{Ib}/state", "1: DOWN");
        _host.Write($"{Ib}/counters/link_downed", "1");
        Assert.Equal(FaultKinds.LinkDown, Assert.Single(await detector.PollAsync(default)).Kind);

        _host.Write($"{Ib}/state", "4: ACTIVE");
        Assert.Empty(await detector.PollAsync(default));
    }

    [Fact]
    public async Task RoCE_carrier_changes_rising_is_a_flap_of_the_port()
    {
        var detector = Detector();
        await detector.PollAsync(default);
        _host.Write("/sys/class/net/ens4np0/carrier_changes", "4");

        var fault = Assert.Single(await detector.PollAsync(default));
        Assert.Equal((FaultKinds.LinkFlap, "mlx5_1/1"), (fault.Kind, fault.Device));
        Assert.Contains("ens4np0", fault.Message);
    }

    [Fact]
    public async Task A_port_already_down_when_the_agent_starts_is_the_baseline()
    {
        _host.Write($"{Roce}/state", "1: DOWN");
        var detector = Detector();
        Assert.Empty(await detector.PollAsync(default));

        _host.Write($"{Roce}/state", "4: ACTIVE");
        Assert.Empty(await detector.PollAsync(default));
        _host.Write($"{Roce}/state", "1: DOWN");
        Assert.Equal(FaultKinds.LinkDown, Assert.Single(await detector.PollAsync(default)).Kind);
    }

    public void Dispose() => _host.Dispose();
}
