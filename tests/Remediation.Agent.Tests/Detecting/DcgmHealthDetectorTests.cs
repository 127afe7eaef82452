using Remediation.Agent.Detecting;
using Remediation.Agent.Detecting.Dcgm;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Detecting;

public sealed class DcgmHealthDetectorTests : IDisposable
{
    private const string PowerWarning = "l4-power-warning-dcgm461.txt";
    private const string PowerRow = "-> Power system     |";
    private const string DcgmMessage =
        "Detected clocks event due to power violation in GPU 0. Monitor the power conditions. This GPU can still perform workload.";

    private readonly HostTree _host = HostTree.Copy();
    private readonly FakeRunner _runner = new();
    private string _health = Read(PowerWarning);

    public DcgmHealthDetectorTests()
    {
        _runner.When(a => a == DcgmHealthDetector.Check, () => new CommandResult(0, _health));
        _runner.When(a => a == DcgmHealthDetector.Discovery, new CommandResult(0, Read("l4-discovery-dcgm461.txt")));
    }

    private DcgmHealthDetector Detector() =>
        new(new DetectorContext(_host.Root, "gpu-node-017", "train-a", _runner, new FixedClock(DateTimeOffset.Parse("2026-11-25T10:00:00Z"))));

    private static string Read(string name) => File.ReadAllText(Path.Combine(Fixtures.Folder, "dcgmi", name));

    /// <summary>The power warning fixture with its system renamed, the cell kept at its width.</summary>
    private static string WithSystem(string report, string system) => report.Replace(PowerRow, $"-> {system}".PadRight(PowerRow.Length - 1) + "|");

    [Fact]
    public void The_report_parser_reads_the_wrapped_message_of_the_L4_power_warning()
    {
        var incident = Assert.Single(DcgmHealthReport.Parse(Read(PowerWarning))!);
        Assert.Equal(new DcgmIncident("GPU", "0", "Power system", "Warning", DcgmMessage), incident);
        Assert.Empty(DcgmHealthReport.Parse(Read("gb200-healthy-dcgm452.txt"))!);
        Assert.Null(DcgmHealthReport.Parse("Error: Unable to connect to host engine."));
    }

    [Fact]
    public void Discovery_maps_DCGM_GPU_ids_to_PCI_addresses() =>
        Assert.Equal(new Dictionary<string, string> { ["0"] = "0000:00:03.0" }, DcgmDiscovery.PciAddresses(Read("l4-discovery-dcgm461.txt")));

    [Fact]
    public async Task Power_warning_is_a_thermal_fault_on_the_GPUs_PCI_address_reported_once()
    {
        var detector = Detector();

        var fault = Assert.Single(await detector.PollAsync(default));
        Assert.Equal((FaultKinds.Thermal, "PCI:0000:00:03", DcgmMessage, "dcgm", "gpu-node-017", "train-a"),
            (fault.Kind, fault.Device, fault.Message, fault.Source, fault.NodeId, fault.Cluster));
        Assert.Null(FaultValidation.Validate(fault));
        Assert.Equal(["dcgmi health -c", "dcgmi discovery -l"], _runner.Lines);

        Assert.Empty(await detector.PollAsync(default));
    }

    [Theory]
    [InlineData("Memory system", FaultKinds.Ecc)]
    [InlineData("NVLINK system", FaultKinds.NvLink)]
    [InlineData("PCIe system", FaultKinds.PcieDegraded)]
    [InlineData("Thermal system", FaultKinds.Thermal)]
    [InlineData("InfoROM system", FaultKinds.HealthCheckFailed)]
    [InlineData("Driver", FaultKinds.HealthCheckFailed)]
    public async Task Each_DCGM_system_maps_to_its_fault_kind(string system, string kind)
    {
        _health = WithSystem(_health, system);
        var fault = Assert.Single(await Detector().PollAsync(default));
        Assert.Equal((kind, "PCI:0000:00:03"), (fault.Kind, fault.Device));
    }

    [Fact]
    public async Task A_warning_that_becomes_a_failure_is_reported_again()
    {
        var detector = Detector();
        var warning = Assert.Single(await detector.PollAsync(default));

        _health = _health.Replace("| Warning ", "| Failure ");
        var failure = Assert.Single(await detector.PollAsync(default));
        Assert.NotEqual(warning.EventId, failure.EventId);
        Assert.Empty(await detector.PollAsync(default));
    }

    [Fact]
    public async Task A_GPU_discovery_does_not_list_is_named_by_its_DCGM_id()
    {
        _health = _health.Replace("| -> 0 ", "| -> 1 ");
        var fault = Assert.Single(await Detector().PollAsync(default));
        Assert.Equal("GPU 1", fault.Device);
    }

    [Fact]
    public async Task Healthy_report_is_no_fault_and_needs_no_discovery()
    {
        _health = Read("gb200-healthy-dcgm452.txt");
        Assert.Empty(await Detector().PollAsync(default));
        Assert.Equal(["dcgmi health -c"], _runner.Lines);
    }

    [Fact]
    public async Task No_dcgmi_installed_is_not_a_fault()
    {
        _runner.When(a => a == DcgmHealthDetector.Check, new CommandResult(127, "cannot start dcgmi"));
        Assert.Empty(await Detector().PollAsync(default));
    }

    [Fact]
    public async Task Health_watches_never_set_is_not_a_fault()
    {
        _runner.When(a => a == DcgmHealthDetector.Check, new CommandResult(255, "Error: Health watches not enabled. Please enable watches. \n"));
        Assert.Empty(await Detector().PollAsync(default));
    }

    [Fact]
    public async Task A_failing_dcgmi_is_a_failed_health_check_reported_once()
    {
        _runner.When(a => a == DcgmHealthDetector.Check, new CommandResult(255,
            "Error: unable to establish a connection to the specified host: localhost\n" +
            "Error: Unable to connect to host engine. Host engine connection invalid/disconnected.\n"));
        var detector = Detector();

        var fault = Assert.Single(await detector.PollAsync(default));
        Assert.Equal((FaultKinds.HealthCheckFailed, (string?)null, "dcgm"), (fault.Kind, fault.Device, fault.Source));
        Assert.Contains("unable to establish a connection to the specified host", fault.Message);
        Assert.Empty(await detector.PollAsync(default));
    }

    [Fact]
    public async Task Output_that_is_no_health_report_is_a_failed_health_check()
    {
        _health = Read("l4-discovery-dcgm461.txt");
        var fault = Assert.Single(await Detector().PollAsync(default));
        Assert.Equal(FaultKinds.HealthCheckFailed, fault.Kind);
    }

    public void Dispose() => _host.Dispose();
}
