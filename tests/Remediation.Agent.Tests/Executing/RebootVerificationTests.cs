using Remediation.Agent.Devices;
using Remediation.Agent.Executing;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

/// <summary>node_health after a reboot answers only from a new boot: on the old one it says the reboot has not happened.</summary>
public sealed class RebootVerificationTests : IDisposable
{
    private readonly HostTree _host = HostTree.Copy();
    private readonly string _state = StateDir();
    private readonly StepRequested _reboot = Step("reboot", commandId: "inc-gpu-node-017-1/reboot/reboot-node/1");
    private readonly StepRequested _check = Step("node_health", commandId: "inc-gpu-node-017-1/reboot/check-node/1");

    [Fact]
    public async Task Node_health_on_the_boot_the_reboot_started_on_is_in_use_and_runs_nothing()
    {
        _host.Write(SysfsPaths.BootId, "3f5c1b5e-9d0a-4a8e-8e43-6f1f2a7c9b10");
        await Executor(_host, FakeRunner.OnL4Node(), _state).ExecuteAsync(_reboot, default);
        var runner = FakeRunner.OnL4Node();

        var result = await Executor(_host, runner, _state).ExecuteAsync(_check, default);

        Assert.Equal((StepOutcomes.Failed, (int?)StepExitCodes.InUse), (result.Outcome, result.ExitCode));
        Assert.Contains("the node has not rebooted yet (still boot 3f5c1b5e-9d0a-4a8e-8e43-6f1f2a7c9b10", result.Output);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task Node_health_on_a_new_boot_checks_the_GPUs()
    {
        _host.Write(SysfsPaths.BootId, "3f5c1b5e-9d0a-4a8e-8e43-6f1f2a7c9b10");
        await Executor(_host, FakeRunner.OnL4Node(), _state).ExecuteAsync(_reboot, default);
        _host.Write(SysfsPaths.BootId, "9b0e2d11-5c1f-4f7e-a2d3-0c4b6a8e1f22");
        var runner = FakeRunner.OnL4Node();

        var result = await Executor(_host, runner, _state).ExecuteAsync(_check, default);

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(["nvidia-smi -q -x"], runner.Lines);
    }

    [Fact]
    public async Task A_check_cut_off_by_the_reboot_it_verifies_runs_again()
    {
        new ResultStore(_state).MarkStarted(new ResultStore.Started(_check.CommandId, "node_health", "boot-before-reboot", Now));
        var runner = FakeRunner.OnL4Node();

        var result = await Executor(_host, runner, _state).ExecuteAsync(_check, default);

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(["nvidia-smi -q -x"], runner.Lines);
    }

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
