using Remediation.Bench;
using Remediation.Bench.Limits;

namespace Remediation.Tests.EndToEnd;

/// <summary>The bench's judgements on its own figures: offered against asked rates, targets met, confirms, the limit on paper. No servers.</summary>
public sealed class BenchFigureTests
{
    [Fact]
    public void A_publisher_that_reached_the_asked_rate_says_so()
    {
        var offered = new OfferedLoad(20_000, 60_000, TimeSpan.FromSeconds(3.05));

        Assert.False(offered.BelowAsked);
        Assert.DoesNotContain("BELOW", offered.Describe());
        Assert.Equal(false, offered.Figures()["offered_below_asked"]);
        Assert.Equal(19_672.0, offered.Figures()["offered_rate"]);
    }

    [Fact]
    public void A_publisher_below_the_asked_rate_says_so_in_the_output_and_the_figures()
    {
        var offered = new OfferedLoad(20_000, 60_000, TimeSpan.FromSeconds(7.9));

        Assert.True(offered.BelowAsked);
        Assert.Contains("7595/s of 20000/s asked - BELOW THE ASKED RATE (38 % of it)", offered.Describe());
        var figures = offered.Figures("unaffected_");
        Assert.Equal(true, figures["unaffected_offered_below_asked"]);
        Assert.Equal(20_000.0, figures["unaffected_asked_rate"]);
        Assert.Equal(7_595.0, figures["unaffected_offered_rate"]);
    }

    [Fact]
    public void Nothing_offered_is_below_any_asked_rate()
    {
        Assert.True(new OfferedLoad(100, 0, TimeSpan.Zero).BelowAsked);
        Assert.Null(OfferedLoad.Reaches(5_000, double.NaN));
    }

    [Theory]
    [InlineData(100, 100, 1000.2, 4.8)] // at 100/s the 101st fault is due at 1,010 ms and is sent a 5 ms tick early
    [InlineData(100, 100, 1004.6, 1)] // 0.4 ms away: Task.Delay would round that to no wait at all and spin
    [InlineData(625, 625, 1000.0, 0)] // the next fault already falls within the tick: no pause, it is sent now
    public void A_lane_that_is_on_time_sleeps_until_its_next_fault_and_never_spins(int sent, double rate, double elapsedMs, double pauseMs)
    {
        var pause = BenchLoad.Pause(sent, rate, TimeSpan.FromMilliseconds(elapsedMs));

        Assert.Equal(pauseMs, pause.TotalMilliseconds, 3);
    }

    [Fact]
    public void Steady_with_a_slow_p99_is_not_met_and_names_the_check_that_failed()
    {
        var figures = Targets.Judge("steady", new Figures().Add("offered_rate", 1000, 0).Add("latency_p50_ms", 3.5).Add("latency_p99_ms", 42.2));

        Assert.Equal(false, figures["met"]);
        Assert.Equal("1k faults/s offered, p50 ≤ 5 ms, p99 ≤ 20 ms", figures["target"]);
        Assert.Equal([true, true, false], ((IReadOnlyList<TargetCheck>)figures["checks"]!).Select(c => c.Met));
    }

    [Fact]
    public void Max_is_met_at_half_the_baseline_and_ten_thousand_events_a_second()
    {
        Assert.Equal(true, Targets.Judge("max", new Figures().Add("ratio", 0.5, 3).Add("events_per_second", 10_000, 0))["met"]);
        Assert.Equal(false, Targets.Judge("max", new Figures().Add("ratio", 0.49, 3).Add("events_per_second", 12_000, 0))["met"]);
    }

    [Fact]
    public void A_driver_bug_at_a_smaller_scale_or_below_the_asked_rate_is_not_met_however_good_its_figures()
    {
        Figures Run(long faults, double offered) => Targets.Judge("driver-bug", new Figures().Add("storm_faults", faults).Add("offered_rate", offered, 0)
            .Add("coalescing_ratio", 80.0).Add("drain_after_storm_seconds", 12.0).Add("unaffected_latency_p99_ms", 300.0).Add("lost", 0L));

        Assert.Equal(true, Run(1_000_000, 19_800)["met"]);
        Assert.Equal(false, Run(60_000, 19_800)["met"]);
        Assert.Equal(false, Run(1_000_000, 7_608)["met"]);
    }

    [Fact]
    public void A_figure_that_was_not_measured_does_not_meet_its_target()
    {
        var checks = Targets.Check("timeline", new Figures().Add("p99_ms", double.NaN).Add("store_events", 10_000_000L));

        Assert.Equal(new TargetCheck("p99 ≤ 10 ms", null, false), checks[0]);
        Assert.True(checks[1].Met);
    }

    [Fact]
    public void Cpu_is_reported_per_thousand_events_and_idle_as_a_share_of_the_machine()
    {
        var spent = new CpuSpent(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(125), 50, 200);

        var figures = spent.Figures(10_000);

        Assert.Equal(50.0, figures["cpu_service_ms_per_1k_events"]);
        Assert.Equal(25.0, figures["cpu_broker_ms_per_1k_events"]);
        Assert.Equal(12.5, figures["cpu_postgres_ms_per_1k_events"]);
        Assert.Equal(0.25, figures["cpu_idle_share"]);
        Assert.Null(spent.Figures(0)["cpu_service_ms_per_1k_events"]);
        Assert.Equal(50.0, spent.Figures(10_000, "storm_faults")["cpu_service_ms_per_1k_storm_faults"]);
        Assert.StartsWith("CPU per 1,000 storm faults: service 50.0 ms", spent.ToText(10_000, "storm faults"));
    }

    [Fact]
    public void Cpu_this_process_burns_is_counted_as_the_service_s()
    {
        var before = CpuSpent.Now();
        var spin = System.Diagnostics.Stopwatch.StartNew();
        var x = 0L;
        while (spin.ElapsedMilliseconds < 300) x += spin.ElapsedTicks % 7;

        var spent = CpuSpent.Now().Since(before);

        Assert.True(x >= 0);
        Assert.True(spent.Service >= TimeSpan.FromMilliseconds(30), $"counted {spent.Service.TotalMilliseconds} ms of a 300 ms spin");
        Assert.True(spent.AllTicks > 0, "the machine's counters did not move");
    }

    [Fact]
    public void A_scenario_without_a_target_gets_no_target_keys()
    {
        var figures = Targets.Judge("commit", new Figures().Add("speedup", 2.4));

        Assert.False(figures.ContainsKey("met"));
        Assert.False(figures.ContainsKey("target"));
    }

    [Fact]
    public void Confirms_count_single_and_multiple_acks_in_any_order()
    {
        var confirms = new Confirms();
        for (var i = 0; i < 6; i++) confirms.Published();

        confirms.Confirm(2, multiple: false, nacked: false);
        Assert.Equal(0UL, confirms.Through);
        confirms.Confirm(1, multiple: false, nacked: false);
        Assert.Equal(2UL, confirms.Through);
        confirms.Confirm(5, multiple: false, nacked: true);
        confirms.Confirm(4, multiple: true, nacked: false);
        Assert.Equal(5UL, confirms.Through);
        confirms.Confirm(6, multiple: true, nacked: true);
        Assert.Equal(6UL, confirms.Through);
        Assert.Equal(2, confirms.Nacked);
    }

    [Fact]
    public async Task Waiting_for_confirms_ends_when_the_broker_confirms_the_last()
    {
        var confirms = new Confirms();
        for (var i = 0; i < 3; i++) confirms.Published();
        var waiting = confirms.WaitAsync(3, CancellationToken.None);

        confirms.Confirm(2, multiple: true, nacked: false);
        Assert.False(waiting.IsCompleted);
        confirms.Confirm(3, multiple: false, nacked: false);
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void The_limit_takes_the_cheapest_commit_and_the_faster_consumer_and_adds_the_parts_when_they_run_one_after_another()
    {
        CommitCost[] commits = [new(1, 2, 2.5), new(1000, 100, 50), new(5000, 400, 200)];

        var limit = PhysicalLimit.From(commits, new BrokerCost(PublishOne: 10_000, PublishMany: 30_000, Publishers: 4, ConsumeAckEach: 15_000, ConsumeAckBatch: 25_000));

        Assert.Equal((25_000.0, 5000, "copy"), (limit.CommitEventsPerSecond, limit.CommitRows, limit.CommitBy));
        Assert.Equal(12_500, limit.Serial, 6);
        Assert.Equal(25_000, limit.Overlapped);
        Assert.Equal(1 / (1 / 30_000.0 + 2 / 25_000.0), limit.WithPublish, 6);
        Assert.Equal(40_000, PhysicalLimit.From([new(1000, 10, 20)], new BrokerCost(10_000, 30_000, 4, ConsumeAckEach: 40_000, ConsumeAckBatch: 25_000)).Overlapped);
    }

    [Fact]
    public void A_crowded_catalog_is_called_out_with_how_to_clear_it_and_a_clean_one_is_not()
    {
        Assert.DoesNotContain("CROWDED", new CatalogSize(CatalogSize.Crowded, 9_000).Describe());

        var crowded = new CatalogSize(6_735, 318_897).Describe();

        Assert.Contains("catalog: 6735 schemas, 318897 relations - CROWDED", crowded);
        Assert.Contains("drop schema %I cascade", crowded);
    }
}
