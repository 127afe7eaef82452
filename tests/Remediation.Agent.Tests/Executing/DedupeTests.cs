using Remediation.Agent.Executing;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

public sealed class DedupeTests : IDisposable
{
    private readonly HostTree _host = HostTree.Copy();
    private readonly string _state = StateDir();
    private readonly StepRequested _reset = Step("gpu_reset", new() { ["device"] = "PCI:0000:01:00" });

    [Fact]
    public async Task A_repeated_command_returns_the_first_result_without_running_again()
    {
        var runner = FakeRunner.OnL4Node();
        var executor = Executor(_host, runner, _state);

        var first = await executor.ExecuteAsync(_reset, default);
        var again = await executor.ExecuteAsync(_reset, default);

        Assert.Equal(first, again);
        Assert.Equal(3, runner.Calls.Count);
    }

    [Fact]
    public async Task A_restarted_agent_returns_the_first_result_from_the_state_directory()
    {
        var first = await Executor(_host, FakeRunner.OnL4Node(), _state).ExecuteAsync(_reset, default);

        var afterRestart = new FakeRunner();
        var again = await Executor(_host, afterRestart, _state).ExecuteAsync(_reset, default);

        Assert.Equal(first, again);
        Assert.Empty(afterRestart.Calls);
    }

    [Fact]
    public async Task A_step_cut_off_by_an_agent_crash_is_failed_not_run_again()
    {
        new ResultStore(_state).MarkStarted(new ResultStore.Started(_reset.CommandId, "gpu_reset", "3f5c1b5e-9d0a-4a8e-8e43-6f1f2a7c9b10", Now));
        var runner = new FakeRunner();

        var result = await Executor(_host, runner, _state).ExecuteAsync(_reset, default);

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("the agent stopped while gpu_reset was running", result.Output);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task A_reboot_that_happened_is_reported_as_succeeded_after_the_restart()
    {
        var reboot = Step("reboot", commandId: "inc-gpu-node-017-1/reboot/reboot-node/1");
        new ResultStore(_state).MarkStarted(new ResultStore.Started(reboot.CommandId, "reboot", "boot-before-reboot", Now));
        var runner = new FakeRunner();

        var result = await Executor(_host, runner, _state).ExecuteAsync(reboot, default);

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("node rebooted", result.Output);
        Assert.Empty(runner.Calls);
    }

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
