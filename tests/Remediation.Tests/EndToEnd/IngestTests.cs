using System.Globalization;
using System.Text.RegularExpressions;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// Where the ingesting instance sends what it takes in: an input of a partition it consumes is decided there and then,
/// without a second pass through the broker; one of another instance's partition goes to that partition's queue.
/// </summary>
// Prometheus' counters are static: another service under test in this process would move the counts compared here.
[Collection(AloneCollection.Name)]
public sealed partial class IngestTests(Servers servers) : ServiceTests(servers)
{
    private const int Partitions = 8;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Partitions:Count"] = Partitions.ToString(),
        ["Partitions:Rebalance"] = "00:00:00.500",
        ["Decider:AutoApprove"] = "false",
        ["Storm:XidNodes"] = "1000",
    };

    [Fact]
    public async Task A_single_instance_decides_every_fault_it_takes_in_without_a_partition_queue()
    {
        await Partitioned.BalancedAsync(Partitions, Service.Http);
        var before = await IngestedAsync(Service.Http);

        var nodes = await PublishAndRecordAsync("gpu-ingest-one", 30);

        var after = await IngestedAsync(Service.Http);
        Assert.Equal(nodes.Count, after.Local - before.Local);
        Assert.Equal(0, after.Partition - before.Partition);
    }

    [Fact]
    public async Task A_backlog_waiting_at_start_up_is_decided_here_not_sent_round_to_the_partitions_about_to_be_taken()
    {
        await Partitioned.BalancedAsync(Partitions, Service.Http);
        var before = await IngestedAsync(Service.Http);
        await Service.StopServiceAsync();
        var nodes = Enumerable.Range(1, 200).Select(i => $"gpu-ingest-backlog-{i:D3}").ToList();
        await Service.PublishAsync([.. nodes.Select(n => Faults.Xid(n, 119))]);

        await Service.StartServiceAsync();
        foreach (var node in nodes) await Service.WaitForNodeAsync(node, n => !ServiceUnderTest.Is(n, "Healthy"));

        var after = await IngestedAsync(Service.Http);
        Assert.Equal(nodes.Count, after.Local - before.Local);
        Assert.Equal(0, after.Partition - before.Partition);
    }

    [Fact]
    public async Task With_two_instances_a_fault_of_the_other_ones_partition_goes_through_its_queue_and_is_recorded_once()
    {
        await using var second = await Service.StartInstanceAsync();
        await Partitioned.BalancedAsync(Partitions, Service.Http, second.Http);
        // Both instances run in this process and share its counters: either may be the one ingesting.
        var before = await IngestedAsync(Service.Http);

        var nodes = await PublishAndRecordAsync("gpu-ingest-two", 40);

        var after = await IngestedAsync(Service.Http);
        Assert.Equal(nodes.Count, after.Local - before.Local + after.Partition - before.Partition);
        Assert.InRange(after.Local - before.Local, 1, nodes.Count - 1);
        foreach (var node in nodes) Assert.Single(await Service.TimelineAsync(node), e => e.Type == "FaultReported");
    }

    private async Task<List<string>> PublishAndRecordAsync(string prefix, int count)
    {
        var nodes = Enumerable.Range(1, count).Select(i => $"{prefix}-{i:D2}").ToList();
        await Service.PublishAsync([.. nodes.Select(n => Faults.Xid(n, 119))]);
        foreach (var node in nodes) await Service.WaitForNodeAsync(node, n => !ServiceUnderTest.Is(n, "Healthy"));
        return nodes;
    }

    private static async Task<(double Local, double Partition)> IngestedAsync(HttpClient http)
    {
        // Faults only: the cordons' results come in through the results queue too.
        var metrics = await http.GetStringAsync("/metrics");
        double Of(string path) => Ingested().Matches(metrics).Where(m => m.Groups[1].Value == path)
            .Sum(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        return (Of("local"), Of("partition"));
    }

    [GeneratedRegex("""^remediation_ingested_total\{input="fault",path="(\w+)"\} (\S+)$""", RegexOptions.Multiline)]
    private static partial Regex Ingested();
}
