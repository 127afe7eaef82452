using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Observability;

/// <summary>deploy/observability against the real /metrics: nothing charted or alerted on is a name the service lacks.</summary>
public sealed class ExportedMetricsTests(Servers servers) : ServiceTests(servers)
{
    private const string Node = "gpu-node-obs-1";

    [Fact]
    public async Task The_dashboard_and_the_alert_rules_use_only_metrics_the_service_exports_and_chart_all_of_them()
    {
        await using var agents = await Service.StartAgentsAsync([Node], _ => true);
        await Service.PublishAsync(Faults.Xid(Node, 48));
        await Service.PublishRawAsync("{ this is not a fault");
        await Service.WaitForNodeAsync(Node, n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 1);
        var exported = MetricNames.Exported(await ScrapeWhenAsync("remediation_invalid_messages_total{", "remediation_queue_messages{"));

        var charted = MetricNames.In(MonitoringFiles.DashboardExpressions());
        var alerted = MetricNames.In(MonitoringFiles.ReadRules().Groups.SelectMany(g => g.Rules).Select(r => r.Expr ?? ""));

        Assert.Empty(charted.Except(exported));
        Assert.Empty(alerted.Except(exported));
        Assert.Empty(exported.Except(charted));
    }

    /// <summary>Waits for the series that appear only after the gauges' next sample or the invalid message's parking.</summary>
    private async Task<string> ScrapeWhenAsync(params string[] series)
    {
        var text = "";
        for (var i = 0; i < 200 && !series.All(text.Contains); i++)
        {
            if (i > 0) await Task.Delay(100);
            text = await Service.Http.GetStringAsync("/metrics");
        }
        Assert.All(series, s => Assert.Contains(s, text));
        return text;
    }
}
