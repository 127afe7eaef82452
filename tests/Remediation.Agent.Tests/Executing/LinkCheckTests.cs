using Remediation.Agent.Executing;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

/// <summary>
/// link_check after a bounce: up, at the rate and width it should run at, and no error counter rising over a soak.
/// Sysfs formats as the kernel writes them (Fixtures/hosts/README.md).
/// </summary>
public sealed class LinkCheckTests : IDisposable
{
    private const string Port = "/sys/class/infiniband/mlx5_0/ports/1";
    private readonly HostTree _host = HostTree.Copy();
    private readonly string _state = StateDir();

    private Task<StepCompleted> Check(Dictionary<string, string> args, Action? duringSoak = null, TimeSpan? soak = null)
    {
        var clock = new SoakClock(Now, soak ?? TimeSpan.FromSeconds(60), duringSoak ?? (() => { }));
        return new StepExecutor(Node, _host.Root, new FakeRunner(), false, new ResultStore(_state), clock)
            .ExecuteAsync(Step("link_check", new(args) { ["port"] = "mlx5_0/1" }), default);
    }

    [Fact]
    public async Task A_port_up_at_its_expected_rate_with_no_counter_rising_over_the_soak_passes()
    {
        var result = await Check(new() { ["rate"] = "400 Gb/sec (4X NDR)", ["soak"] = "60s" });

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("mlx5_0/1: 4: ACTIVE, 5: LinkUp, 400 Gb/sec (4X NDR)", result.Output);
        Assert.Contains("soaking mlx5_0/1 for 60s: symbol_error 0, link_error_recovery 0, link_downed 0, port_rcv_errors 0", result.Output);
        Assert.Contains("no error counter of mlx5_0/1 rose during the 60s soak", result.Output);
    }

    [Fact]
    public async Task A_link_that_trained_down_to_fewer_lanes_fails_naming_both_rates()
    {
        _host.Write($"{Port}/rate", "100 Gb/sec (1X NDR)");

        var result = await Check(new() { ["rate"] = "400" });

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("mlx5_0/1 runs at 100 Gb/sec (1X NDR), expected 400 Gb/sec (the step's rate): 100 of 400 Gb/s", result.Output);
    }

    [Fact]
    public async Task Width_and_speed_are_compared_when_the_expected_rate_names_them()
    {
        _host.Write($"{Port}/rate", "400 Gb/sec (8X HDR)");

        var result = await Check(new() { ["rate"] = "400 Gb/sec (4X NDR)" });

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("width 8X of 4X, speed HDR of NDR", result.Output);
    }

    [Theory]
    [InlineData("symbol_error", 0, 37)]
    [InlineData("link_error_recovery", 0, 2)]
    [InlineData("port_rcv_errors", 0, 5)]
    [InlineData("link_downed", 0, 1)]
    public async Task An_error_counter_rising_during_the_soak_fails_with_the_counter_and_by_how_much(string counter, long before, long after)
    {
        var result = await Check(new() { ["soak"] = "60s" }, () => _host.Write($"{Port}/counters/{counter}", after.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains($"mlx5_0/1: {counter} rose by {after - before} ({before} -> {after}) during the 60s soak", result.Output);
    }

    [Fact]
    public async Task Discards_from_congestion_are_not_a_link_fault()
    {
        var result = await Check(new() { ["soak"] = "60s" }, () => _host.Write($"{Port}/counters/port_xmit_discards", "90211"));

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
    }

    [Fact]
    public async Task A_port_that_goes_down_during_the_soak_fails()
    {
        var result = await Check(new() { ["soak"] = "60s" }, () => _host.Write($"{Port}/state", "1: DOWN"));

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("mlx5_0/1 went 1: DOWN, 5: LinkUp during the 60s soak", result.Output);
    }

    [Fact]
    public async Task Without_an_expected_rate_the_node_inventory_supplies_the_one_it_ran_at_when_healthy()
    {
        var inventory = new NodeInventory([], ["mlx5_0"], "configuration", Now, new Dictionary<string, string> { ["mlx5_0/1"] = "400 Gb/sec (4X NDR)" });
        inventory.Save(Path.Combine(_state, NodeInventory.FileName));
        _host.Write($"{Port}/rate", "200 Gb/sec (2X NDR)");

        var result = await Check([]);

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("expected 400 Gb/sec (4X NDR) (the node's inventory, configuration 2026-11-25 10:00:00Z): 200 of 400 Gb/s, width 2X of 4X", result.Output);
    }

    [Fact]
    public async Task With_no_expected_rate_anywhere_the_rate_is_reported_not_judged()
    {
        _host.Write($"{Port}/rate", "200 Gb/sec (2X NDR)");

        var result = await Check([]);

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("no expected rate for mlx5_0/1 (no rate argument, none in the node's inventory): rate not compared", result.Output);
    }

    [Theory]
    [InlineData("soak", "forever", "soak 'forever' is not a duration like 60s or 5m, at most 30m")]
    [InlineData("soak", "31m", "at most 30m")]
    [InlineData("rate", "fast", "rate 'fast' is not a rate like 400")]
    public async Task Arguments_that_do_not_parse_fail_the_step(string name, string value, string reason)
    {
        var result = await Check(new() { [name] = value });

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains(reason, result.Output);
    }

    [Fact]
    public async Task A_soak_longer_than_the_step_has_left_fails_at_once_instead_of_timing_out()
    {
        var result = await Check(new() { ["soak"] = "5m" }, soak: TimeSpan.FromMinutes(5));

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("a 300s soak does not fit in the 120s left before the step's deadline", result.Output);
    }

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
