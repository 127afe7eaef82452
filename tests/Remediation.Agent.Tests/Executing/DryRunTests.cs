using Remediation.Agent.Executing.Actions;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

public sealed class DryRunTests : IDisposable
{
    private readonly HostTree _host = HostTree.Copy();
    private readonly StringWriter _log = new();
    private readonly string _state = StateDir();

    [Theory]
    [InlineData("gpu_reset", "device", "PCI:0000:01:00", "nvidia-smi --gpu-reset -i 0000:01:00.0")]
    [InlineData("driver_reload", null, null, "modprobe -r nvidia")]
    [InlineData("link_bounce", "port", "mlx5_0/1", "ibportstate -C mlx5_0 -P 1 -D 0 1 disable")]
    [InlineData("reboot", null, null, "systemctl reboot")]
    [InlineData("gpu_health", "device", "all", "nvidia-smi -q -x")]
    public async Task Prints_and_records_what_it_would_run_and_succeeds(string action, string? arg, string? value, string expected)
    {
        var runner = new DryRunCommandRunner(_log);
        var args = arg is null ? [] : new Dictionary<string, string> { [arg] = value! };
        // The fixture's port is up: only a quarantined node has it bounced.
        if (action == "link_bounce") args["quarantined"] = "yes";

        var result = await Executor(_host, runner, _state, dryRun: true).ExecuteAsync(Step(action, args), default);

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains(runner.Seen, a => a.ToString() == expected);
        Assert.Contains($"dry-run: would run {expected}", _log.ToString());
        Assert.Contains($"dry-run: {expected}", result.Output);
    }

    [Fact]
    public async Task Shows_the_exact_command_a_reboot_from_the_daemonset_would_run()
    {
        var runner = new DryRunCommandRunner(_log);
        var executor = Executor(_host, runner, _state, dryRun: true, rebootVia: RebootVia.HostPid1);

        var result = await executor.ExecuteAsync(Step("reboot"), default);

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("dry-run: nsenter --target 1 --mount --uts --ipc --net --pid -- systemctl reboot", result.Output);
    }

    [Fact]
    public async Task Still_refuses_a_device_that_does_not_exist()
    {
        var runner = new DryRunCommandRunner(_log);
        var result = await Executor(_host, runner, _state, dryRun: true)
            .ExecuteAsync(Step("gpu_reset", new() { ["device"] = "PCI:0000:99:00" }), default);

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Empty(runner.Seen);
    }

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
