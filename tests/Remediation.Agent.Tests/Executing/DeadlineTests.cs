using Remediation.Agent.Executing;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

/// <summary>A step that outlives its deadline is abandoned and reported, and the executor runs the next command.</summary>
public sealed class DeadlineTests : IDisposable
{
    private readonly HostTree _host = HostTree.Copy();
    private readonly string _state = StateDir();
    private readonly FakeRunner _runner = FakeRunner.OnL4Node();

    private StepExecutor Executor(ICommandRunner runner) =>
        new(Node, _host.Root, runner, dryRun: false, new ResultStore(_state), new FixedClock(Now), abandonAfter: TimeSpan.FromMilliseconds(200));

    [Fact]
    public async Task A_reset_stuck_in_the_kernel_is_abandoned_as_timed_out_and_the_next_command_runs()
    {
        var executor = Executor(new StuckRunner(a => a.Args.Contains("--gpu-reset"), _runner));
        var reset = Step("gpu_reset", new() { ["device"] = "PCI:0000:01:00" }) with { Deadline = Now.AddMilliseconds(300) };

        var stuck = await executor.ExecuteAsync(reset, default).WaitAsync(TimeSpan.FromSeconds(30));
        var next = await executor.ExecuteAsync(Step("reboot", commandId: "inc-gpu-node-017-1/reboot/reboot-node/1"), default)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(StepOutcomes.TimedOut, stuck.Outcome);
        Assert.Contains("gpu_reset was still running 0.2s after its deadline", stuck.Output);
        Assert.Contains("$ nvidia-smi --gpu-reset -i 0000:01:00.0", stuck.Output);
        Assert.Equal(StepOutcomes.Succeeded, next.Outcome);
        Assert.Equal("systemctl reboot", _runner.Lines.Last());
    }

    [Fact]
    public async Task The_abandoned_result_is_kept_so_a_redelivery_is_not_run_again()
    {
        var reset = Step("gpu_reset", new() { ["device"] = "PCI:0000:01:00" }) with { Deadline = Now.AddMilliseconds(100) };
        await Executor(new StuckRunner(a => a.Args.Contains("--gpu-reset"), _runner)).ExecuteAsync(reset, default).WaitAsync(TimeSpan.FromSeconds(30));
        var callsBefore = _runner.Calls.Count;

        var again = await Executor(_runner).ExecuteAsync(reset, default);

        Assert.Equal(StepOutcomes.TimedOut, again.Outcome);
        Assert.Equal(callsBefore, _runner.Calls.Count);
    }

    [Fact]
    public async Task An_unexpected_exception_in_an_action_becomes_a_failed_result()
    {
        _runner.When(a => a.Args.Contains("--gpu-reset"), () => throw new ArgumentException("runner broke"));

        var result = await Executor(_runner).ExecuteAsync(Step("gpu_reset", new() { ["device"] = "PCI:0000:01:00" }), default);

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("gpu_reset failed: ArgumentException: runner broke", result.Output);
    }

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
