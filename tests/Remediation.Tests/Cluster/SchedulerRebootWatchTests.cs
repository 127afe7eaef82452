using Remediation.Service.Repair;

namespace Remediation.Tests.Cluster;

/// <summary>The reboot step through the scheduler, against a scheduler that answers from a script of node states.</summary>
public sealed class SchedulerRebootWatchTests
{
    private const string Node = "gpu-node-012";
    private static readonly SchedulerOptions Fast = new() { Kind = SchedulerOptions.SlurmKind, DrainPoll = TimeSpan.FromMilliseconds(5) };

    private static SchedulerNodeState State(string state, SchedulerReboot reboot, bool busy = false, string boot = "2026-12-01T06:51:59") =>
        new(Node, state, Cordoned: true, "remediation: inc-1", busy, reboot, boot);

    /// <summary>Answers GetAsync with the next state of its script (the last one for ever), and counts reboot requests.</summary>
    private sealed class ScriptedSlurm(params SchedulerNodeState[] script) : IScheduler, ISchedulerReboot
    {
        private int _next;
        public int Requests { get; private set; }

        public void Then(params SchedulerNodeState[] next)
        {
            script = next;
            _next = 0;
        }

        public Task<SchedulerNodeState> GetAsync(string node, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            return Task.FromResult(script[Math.Min(_next++, script.Length - 1)]);
        }

        public Task<SchedulerResult> RequestRebootAsync(string node, string reason, CancellationToken ct)
        {
            Requests++;
            return Task.FromResult(SchedulerResult.Ok($"scontrol reboot ASAP nextstate=DOWN reason=\"remediation: {reason}\" {node}"));
        }

        public int Holds { get; private set; }

        public Task<SchedulerResult> CordonAsync(string node, string reason, CancellationToken ct)
        {
            Holds++;
            return Task.FromResult(SchedulerResult.Ok($"{node} is DOWN+DRAIN (Reason=remediation: {reason}): drained"));
        }

        public Task<SchedulerResult> UncordonAsync(string node, string reason, CancellationToken ct) => throw new NotSupportedException();
    }

    private static CancellationToken Within(TimeSpan limit) => new CancellationTokenSource(limit).Token;

    [Fact]
    public async Task The_step_succeeds_once_slurm_has_seen_the_node_back_from_a_new_boot()
    {
        var slurm = new ScriptedSlurm(
            State("IDLE+DRAIN", SchedulerReboot.None), State("IDLE+DRAIN+REBOOT_REQUESTED", SchedulerReboot.Requested),
            State("DOWN+DRAIN+REBOOT_ISSUED", SchedulerReboot.Issued), State("DOWN", SchedulerReboot.None, boot: "2026-12-01T11:02:10"));

        var result = await new SchedulerRebootWatch(slurm, Fast, TimeProvider.System).RebootAsync(Node, "inc-1", Within(TimeSpan.FromSeconds(10)));

        Assert.True(result.Succeeded, result.Output);
        Assert.Contains("gpu-node-012 is back from its reboot: DOWN, BootTime 2026-12-01T06:51:59 -> 2026-12-01T11:02:10", result.Output);
        Assert.EndsWith("held until verified: gpu-node-012 is DOWN+DRAIN (Reason=remediation: inc-1): drained", result.Output);
        Assert.Equal((1, 1), (slurm.Requests, slurm.Holds));
    }

    [Fact]
    public async Task Jobs_still_running_at_the_deadline_are_in_use_and_the_next_try_does_not_reboot_again()
    {
        var slurm = new ScriptedSlurm(State("MIXED+DRAIN", SchedulerReboot.None), State("MIXED+DRAIN+REBOOT_REQUESTED", SchedulerReboot.Requested, busy: true));
        var watch = new SchedulerRebootWatch(slurm, Fast, TimeProvider.System);

        // Long enough for the first reads on a loaded machine; the rest of it is spent polling a busy node.
        var waiting = await watch.RebootAsync(Node, "inc-1", Within(TimeSpan.FromSeconds(1)));

        Assert.True(waiting.Draining, waiting.Output);
        Assert.Contains("jobs still running; Slurm reboots it when they end", waiting.Output);

        // Before the try again the jobs ended and Slurm rebooted the node and left it down for the verification.
        slurm.Then(State("DOWN", SchedulerReboot.None, boot: "2026-12-01T11:02:10"));
        var again = await watch.RebootAsync(Node, "inc-1", Within(TimeSpan.FromSeconds(10)));
        Assert.True(again.Succeeded, again.Output);
        Assert.Contains("rebooted already (BootTime 2026-12-01T06:51:59 -> 2026-12-01T11:02:10); not asked again", again.Output);
        Assert.Equal((1, 1), (slurm.Requests, slurm.Holds));
    }

    [Fact]
    public async Task Still_booting_at_the_deadline_is_a_timeout()
    {
        var slurm = new ScriptedSlurm(State("IDLE+DRAIN", SchedulerReboot.None), State("DOWN+DRAIN+REBOOT_ISSUED", SchedulerReboot.Issued));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SchedulerRebootWatch(slurm, Fast, TimeProvider.System).RebootAsync(Node, "inc-1", Within(TimeSpan.FromMilliseconds(100))));
    }

    [Fact]
    public async Task Slurms_reboot_timeout_fails_the_step()
    {
        var slurm = new ScriptedSlurm(State("IDLE+DRAIN", SchedulerReboot.None), State("DOWN+DRAIN", SchedulerReboot.TimedOut));

        var result = await new SchedulerRebootWatch(slurm, Fast, TimeProvider.System).RebootAsync(Node, "inc-1", Within(TimeSpan.FromSeconds(10)));

        Assert.False(result.Succeeded);
        Assert.False(result.Draining);
        Assert.Contains("did not come back within Slurm's ResumeTimeout", result.Output);
    }

    [Fact]
    public async Task A_scheduler_that_does_not_reboot_says_so() =>
        Assert.Contains("does not reboot nodes",
            (await new SchedulerRebootWatch(new NoScheduler(), new SchedulerOptions(), TimeProvider.System).RebootAsync(Node, "inc-1", default)).Output);
}
