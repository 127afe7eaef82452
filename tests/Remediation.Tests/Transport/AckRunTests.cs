using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Service.Bus;
using Remediation.Service.Pipeline;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Transport;

/// <summary>
/// The service acknowledges what it consumes a run at a time (<c>BatchedAcks</c>): a backlog takes a fraction of a
/// frame per message and leaves nothing unacknowledged, and a repeat held for counting is flushed early, rather than at
/// <c>Pipeline:CoalesceFlush</c>, once the acks it holds back pile up.
/// </summary>
// Prometheus' counters are static: another service under test in this process would move the counts compared here.
[Collection(AloneCollection.Name)]
public sealed partial class AckRunTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storm:XidNodes"] = "1000",
        ["Pipeline:CoalesceFlush"] = "00:01:00",
    };

    [Fact]
    public async Task A_backlog_is_acknowledged_in_runs_and_nothing_is_left_unacknowledged()
    {
        var before = await AcksAsync();
        await Service.StopServiceAsync();
        var nodes = Enumerable.Range(1, 250).Select(i => $"gpu-ackrun-{i:D3}").ToList();
        // Four different devices a node: every fault is recorded, none is a repeat held for counting.
        await Service.PublishAsync([.. Enumerable.Range(0, 4).SelectMany(d => nodes.Select(n => Faults.Xid(n, 13, $"PCI:0000:{d + 10:x2}:00")))]);

        await Service.StartServiceAsync();
        var after = before;
        for (var until = DateTime.UtcNow.AddSeconds(90); after.Acks - before.Acks < 1000 && DateTime.UtcNow < until; await Task.Delay(200))
            after = await AcksAsync();

        var (acks, frames) = (after.Acks - before.Acks, after.Frames - before.Frames);
        Assert.True(acks >= 1000, $"{acks} of 1,000 faults acknowledged within 90 s");
        Assert.True(frames <= acks / 3, $"{acks} acks took {frames} frames");
        foreach (var node in nodes.Take(10))
            Assert.Equal(4, (await Service.TimelineAsync(node)).Count(e => e.Type == "FaultReported"));
        var unacknowledged = -1L;
        for (var until = DateTime.UtcNow.AddSeconds(30); unacknowledged != 0 && DateTime.UtcNow < until; await Task.Delay(500))
            unacknowledged = await Servers.Vhosts.UnacknowledgedAsync(Service.Vhost, IngestKinds.Faults.Queue);
        Assert.Equal(0, unacknowledged);
    }

    [Fact]
    public async Task A_repeat_held_for_counting_is_flushed_early_once_the_acks_it_holds_back_fill_a_quarter_of_the_prefetch()
    {
        const string node = "gpu-ackrun-held";
        await Service.PublishAsync(Faults.Xid(node, 13));
        await Service.WaitForNodeAsync(node, n => n.GetProperty("version").GetInt64() >= 1);
        await Service.PublishAsync(Faults.Xid(node, 13));
        await Task.Delay(2000);
        Assert.DoesNotContain(await Service.TimelineAsync(node), e => e.Type == "FaultRepeated");

        var owed = Service.Services.GetRequiredService<OwedAcks>();
        var pile = Service.Services.GetRequiredService<PipelineOptions>().Prefetch / 4;
        owed.Add(pile);
        try
        {
            for (var until = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < until; await Task.Delay(200))
                if ((await Service.TimelineAsync(node)).Any(e => e.Type == "FaultRepeated")) return;
            Assert.Fail("the held repeat was not flushed within 20 s of the acks behind it piling up (the flush interval is a minute)");
        }
        finally
        {
            owed.Add(-pile);
        }
    }

    private async Task<(double Acks, double Frames)> AcksAsync()
    {
        var metrics = await Service.Http.GetStringAsync("/metrics");
        double Of(Regex series) => series.Matches(metrics).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return (Of(Acks()), Of(Frames()));
    }

    [GeneratedRegex(@"^remediation_acks_total (\S+)$", RegexOptions.Multiline)]
    private static partial Regex Acks();

    [GeneratedRegex(@"^remediation_ack_frames_total\{kind=""\w+""\} (\S+)$", RegexOptions.Multiline)]
    private static partial Regex Frames();
}
