using System.Diagnostics;
using Remediation.Agent.Running;

namespace Remediation.Agent.Tests.Running;

/// <summary>Real processes: a timed-out command is killed, and the wait after the kill is bounded.</summary>
public sealed class ProcessCommandRunnerTests
{
    [Fact]
    public async Task A_command_that_finishes_returns_its_exit_code_and_output()
    {
        var result = await new ProcessCommandRunner().RunAsync(Argv.Of("sh", "-c", "echo hello; exit 3"), TimeSpan.FromSeconds(30), default);

        Assert.Equal((3, "hello\n", false), (result.ExitCode, result.Output, result.TimedOut));
    }

    [Fact]
    public async Task A_command_past_its_timeout_is_killed_and_reported_timed_out()
    {
        var clock = Stopwatch.StartNew();

        var result = await new ProcessCommandRunner().RunAsync(Argv.Of("sleep", "30"), TimeSpan.FromMilliseconds(200), default);

        Assert.True(result.TimedOut);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task The_wait_after_the_kill_is_bounded_when_the_command_never_finishes()
    {
        // The subshell's sleep escapes the killed process tree and keeps the output pipe open, so the command never
        // finishes for the runner: what an nvidia-smi stuck in uninterruptible sleep looks like.
        var escaped = Argv.Of("sh", "-c", "(sleep 60 & echo $!); sleep 60");
        var clock = Stopwatch.StartNew();

        var result = await new ProcessCommandRunner(TimeSpan.FromMilliseconds(500)).RunAsync(escaped, TimeSpan.FromMilliseconds(300), default);
        var elapsed = clock.Elapsed;
        Process.GetProcessById(int.Parse(result.Output.Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture)).Kill();

        Assert.True(result.TimedOut);
        Assert.Contains("did not finish within 0.5s of SIGKILL", result.Output);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }
}
