using Remediation.Service.Cluster.Slurm;

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
        Assert.EndsWith("UNKNOWN+DRAIN (Reason=remediation: inc-1): drained", drained.Output);
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
}
