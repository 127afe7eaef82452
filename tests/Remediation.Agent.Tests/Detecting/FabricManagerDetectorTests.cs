using Remediation.Agent.Detecting;
using Remediation.Agent.Detecting.Fabric;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Detecting;

/// <summary>Fabric Manager watched on an NVSwitch node: its unit's state (systemctl(1) is-active) and its own log.</summary>
public sealed class FabricManagerDetectorTests : IDisposable
{
    private const string LogFixture = "fabricmanager/fabricmanager.log";
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T10:00:00Z");

    private readonly HostTree _host = HostTree.Copy();
    private readonly FakeRunner _runner = new();
    private CommandResult _state = new(0, "active\n");

    public FabricManagerDetectorTests()
    {
        _host.Write(FabricManagerService.ControlDevice, "");
        _host.Write(FabricManagerService.LogFile, Line("multicast group 0 is freed."));
        _runner.When(a => a == FabricManagerService.IsActive, () => _state);
    }

    private FabricManagerDetector Detector() =>
        new(new DetectorContext(_host.Root, "gpu-node-017", "train-a", _runner, new FixedClock(Now)));

    private static string Line(string fragment) =>
        Fixtures.Read(LogFixture).Single(line => line.Text.Contains(fragment, StringComparison.Ordinal)).Text;

    private void Append(string text) => File.AppendAllText(_host.Root.Resolve(FabricManagerService.LogFile), text);

    [Fact]
    public void Fixture_lines_report_a_fabric_failure_exactly_where_annotated()
    {
        var lines = Fixtures.Read(LogFixture);

        Assert.All(lines, line => Assert.Equal(line.Expected is not null, FabricManagerLog.ReportsFailure(line.Text)));
        Assert.Equal(3, lines.Count(line => line.Expected is not null));
    }

    [Fact]
    public async Task A_failed_unit_is_one_fault_until_it_comes_back_and_fails_again()
    {
        var detector = Detector();
        Assert.Empty(await detector.PollAsync(default));

        _state = new CommandResult(3, "failed\n");
        var fault = Assert.Single(await detector.PollAsync(default));
        Assert.Equal((FaultKinds.FabricManager, null, "nvidia-fabricmanager is failed (systemctl is-active)", "fabricmanager"),
            (fault.Kind, fault.Device, fault.Message, fault.Source));
        Assert.Null(FaultValidation.Validate(fault));
        Assert.Empty(await detector.PollAsync(default));

        _state = new CommandResult(0, "active\n");
        Assert.Empty(await detector.PollAsync(default));
        _state = new CommandResult(3, "inactive\n");
        Assert.NotEqual(fault.EventId, Assert.Single(await detector.PollAsync(default)).EventId);
    }

    [Theory]
    [InlineData(4, "inactive\n")]
    [InlineData(127, "")]
    public async Task A_node_without_the_unit_or_without_systemctl_reports_nothing_about_the_service(int exit, string output)
    {
        _state = new CommandResult(exit, output);

        Assert.Empty(await Detector().PollAsync(default));
    }

    [Fact]
    public async Task A_unit_starting_up_is_not_a_failure()
    {
        _state = new CommandResult(3, "activating\n");

        Assert.Empty(await Detector().PollAsync(default));
    }

    [Fact]
    public async Task New_log_lines_reporting_a_failed_fabric_are_faults_stamped_with_their_own_time()
    {
        var detector = Detector();
        Assert.Empty(await detector.PollAsync(default));

        var fatal = Line("detected NVSwitch fatal error 20034");
        Append(string.Join('\n', Line("non-fatal error 12028"), fatal, Line("successfully released multicast team")) + "\n");
        var fault = Assert.Single(await detector.PollAsync(default));

        Assert.Equal((FaultKinds.FabricManager, fatal, new DateTimeOffset(2024, 7, 23, 7, 53, 55, TimeSpan.Zero)),
            (fault.Kind, fault.Message, fault.ObservedAt));
        Assert.Empty(await detector.PollAsync(default));
    }

    [Fact]
    public async Task What_the_log_held_before_the_agent_started_is_not_reported_again()
    {
        Append(Line("detected NVSwitch fatal error 20034") + "\n");

        var detector = Detector();

        Assert.Empty(await detector.PollAsync(default));
        Assert.Empty(await detector.PollAsync(default));
    }

    [Fact]
    public async Task A_line_still_being_written_is_read_once_it_is_whole()
    {
        var detector = Detector();
        await detector.PollAsync(default);
        var topology = Line("don't match with any supported system topology");

        Append(topology[..20]);
        Assert.Empty(await detector.PollAsync(default));
        Append(topology[20..] + "\n");

        Assert.Equal(topology, Assert.Single(await detector.PollAsync(default)).Message);
    }

    [Fact]
    public async Task A_rotated_log_is_read_from_its_start()
    {
        var detector = Detector();
        Append(string.Concat(Enumerable.Repeat(Line("multicast group 0 is freed.") + "\n", 5)));
        await detector.PollAsync(default);
        await detector.PollAsync(default);

        _host.Write(FabricManagerService.LogFile, Line("failed to find the GPU handle"));

        Assert.Single(await detector.PollAsync(default));
    }

    [Fact]
    public async Task Nvswitches_the_driver_lists_in_procfs_are_enough_to_watch_the_unit()
    {
        File.Delete(_host.Root.Resolve(FabricManagerService.ControlDevice));
        _host.Write($"{FabricManagerService.ProcDevices}/0000:05:00.0/information", "");
        _state = new CommandResult(3, "failed\n");

        Assert.Single(await Detector().PollAsync(default));
    }

    [Fact]
    public async Task A_node_without_nvswitches_is_not_watched()
    {
        File.Delete(_host.Root.Resolve(FabricManagerService.ControlDevice));
        _state = new CommandResult(3, "inactive\n");

        Assert.Empty(await Detector().PollAsync(default));
        Assert.Empty(_runner.Calls);
    }

    public void Dispose() => _host.Dispose();
}
