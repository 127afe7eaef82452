using Remediation.Agent.Detecting.Gpu;
using Remediation.Agent.Executing;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

/// <summary>
/// gpu_health with <c>soak</c>: the GPU's NVLink links hold their speed and no error counter rises while watched. The
/// nvlink outputs are an H100's (Fixtures/nvidia-smi/README.md); the node otherwise is the L4 fixture's.
/// </summary>
public sealed class NvLinkSoakTests : IDisposable
{
    private readonly HostTree _host = HostTree.Copy();
    private readonly FakeRunner _runner = FakeRunner.OnL4Node();
    private readonly string _state = StateDir();
    private readonly List<string> _errors = [SmiFixtures.Read("nvlink-e-h100.txt")];
    private readonly List<string> _status = [SmiFixtures.Read("nvlink-s-h100.txt")];

    public NvLinkSoakTests()
    {
        var (errorReads, statusReads) = (0, 0);
        _runner.When(a => a.Args is ["nvlink", "-e", ..], () => new CommandResult(0, _errors[Math.Min(errorReads++, _errors.Count - 1)]));
        _runner.When(a => a.Args is ["nvlink", "-s", ..], () => new CommandResult(0, _status[Math.Min(statusReads++, _status.Count - 1)]));
    }

    private Task<StepCompleted> Verify(string soak = "60s") =>
        new StepExecutor(Node, _host.Root, _runner, false, new ResultStore(_state), new SoakClock(Now, TimeSpan.FromSeconds(60), () => { }))
            .ExecuteAsync(Step("gpu_health", new() { ["device"] = "PCI:0000:c1:00", ["soak"] = soak }), default);

    [Fact]
    public async Task Links_that_hold_their_speed_with_no_counter_rising_pass()
    {
        var result = await Verify();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(["nvidia-smi -q -x -i 0000:c1:00.0", "nvidia-smi nvlink -s -i 0000:c1:00.0", "nvidia-smi nvlink -e -i 0000:c1:00.0",
            "nvidia-smi nvlink -e -i 0000:c1:00.0", "nvidia-smi nvlink -s -i 0000:c1:00.0"], _runner.Lines);
        Assert.Contains("soaking 2 active NVLink link(s) for 60s (0 inactive)", result.Output);
        Assert.Contains("no NVLink error counter rose during the 60s soak", result.Output);
    }

    [Fact]
    public async Task A_counter_rising_during_the_soak_fails_with_the_link_the_counter_and_by_how_much()
    {
        _errors.Add(_errors[0].Replace("Link 1: CRC Errors: 0", "Link 1: CRC Errors: 12").Replace("Link 17: Replay Errors: 0", "Link 17: Replay Errors: 3"));

        var result = await Verify();

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("GPU 0 NVLink 1: CRC Errors rose by 12 (0 -> 12) during the 60s soak", result.Output);
        Assert.Contains("GPU 0 NVLink 17: Replay Errors rose by 3 (0 -> 3) during the 60s soak", result.Output);
    }

    [Fact]
    public async Task A_link_slower_than_its_peers_fails_before_any_soak()
    {
        _status[0] = _status[0].Replace("Link 17: 26.562 GB/s", "Link 17: 13.281 GB/s");

        var result = await Verify();

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("GPU 0 NVLink 17 runs at 13.281 GB/s, its other links at 26.562 GB/s", result.Output);
        Assert.DoesNotContain(_runner.Lines, l => l.Contains("-e", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_link_that_goes_inactive_during_the_soak_fails()
    {
        _status.Add(_status[0].Replace("Link 17: 26.562 GB/s", "Link 17: <inactive>"));

        var result = await Verify();

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("GPU 0 NVLink 17 went inactive during the 60s soak", result.Output);
    }

    [Fact]
    public async Task A_gpu_without_nvlink_has_nothing_to_soak()
    {
        _status[0] = "";

        var result = await Verify();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("no NVLink links reported: nothing to soak", result.Output);
    }

    [Fact]
    public async Task A_soak_that_is_no_duration_fails_the_step() =>
        Assert.Contains("soak 'a while' is not a duration", (await Verify("a while")).Output);

    [Fact]
    public void The_real_outputs_read_as_links_and_counters()
    {
        Assert.Equal(new Dictionary<(string, int), double?> { [("GPU 0", 0)] = 26.562, [("GPU 0", 17)] = 26.562 },
            NvLinkText.Status(SmiFixtures.Read("nvlink-s-h100.txt")));
        var errors = NvLinkText.Errors(SmiFixtures.Read("nvlink-e-h100.txt"));
        Assert.Equal(9, errors.Count);
        Assert.Equal(0, errors[("GPU 0", 17, "Recovery Errors")]);
    }

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
