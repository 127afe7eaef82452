using System.Text.Json;
using System.Net.Http.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>The remediator watched from outside: /metrics for the whole path and /health that admits lag.</summary>
// Prometheus' metrics are static: another service under test in this process would move the gauges asserted here.
[Collection(AloneCollection.Name)]
public sealed class ObservabilityTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Decider:AutoApprove"] = "false" };

    [Fact]
    public async Task Metrics_cover_faults_steps_nodes_approvals_lag_and_the_broker()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-m1", "gpu-node-m2"], _ => true);
        await Service.PublishAsync(Faults.Xid("gpu-node-m1", 48), Faults.Xid("gpu-node-m2", 79));
        await Service.WaitForNodeAsync("gpu-node-m1", n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 1);
        await Service.WaitForNodeAsync("gpu-node-m2", n => ServiceUnderTest.Is(n, "AwaitingApproval"));

        var metrics = await WaitForMetricsAsync("remediation_approvals_pending 1");

        Assert.Contains("remediation_faults_received_total{kind=\"xid\"}", metrics);
        Assert.Contains("remediation_step_results_total{action=\"gpu_reset\",outcome=\"succeeded\"}", metrics);
        Assert.Contains("remediation_steps_dispatched_total{action=\"gpu_reset\"}", metrics);
        Assert.Contains("remediation_nodes{status=\"AwaitingApproval\"} 1", metrics);
        Assert.Contains("remediation_nodes{status=\"Healthy\"} 1", metrics);
        Assert.Contains("remediation_approval_oldest_age_seconds", metrics);
        Assert.Contains("remediation_pipeline_lag_seconds", metrics);
        Assert.Contains("remediation_queue_messages{queue=\"remediation.faults.ingest\"}", metrics);
        Assert.Contains("remediation_decisions_total", metrics);
        Assert.Contains("remediation_automation_paused 0", metrics);
        // The reset claimed budget and the loop committed and sent: each of those stages took some of its time.
        foreach (var stage in new[] { "wait", "load", "decide", "claim", "write", "commit", "after_commit", "deliver" })
            Assert.True(LoopSeconds(metrics, stage) > 0, $"no time counted to the loop's {stage} stage");
    }

    private static double LoopSeconds(string metrics, string stage)
    {
        var prefix = $"remediation_loop_seconds_total{{stage=\"{stage}\"}} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Health_is_healthy_when_idle_and_says_so()
    {
        var health = await Service.Http.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Empty(health.GetProperty("problems").EnumerateArray());
    }

    private async Task<string> WaitForMetricsAsync(string expected)
    {
        var text = "";
        for (var i = 0; i < 100 && !text.Contains(expected); i++)
        {
            text = await Service.Http.GetStringAsync("/metrics");
            if (!text.Contains(expected)) await Task.Delay(100);
        }
        Assert.Contains(expected, text);
        return text;
    }
}

/// <summary>A service that cannot keep up says so on /health instead of calling itself healthy.</summary>
public sealed class LagHealthTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Health:MaxLag"] = "00:00:00.001" };

    [Fact]
    public async Task Health_reports_degraded_while_the_pipeline_lags_beyond_the_threshold()
    {
        var faults = Enumerable.Range(0, 4000).Select(i => Faults.Xid($"gpu-node-lag-{i % 400}", 13)).ToArray();
        var publishing = Service.PublishAsync(faults);
        JsonElement? degraded = null;
        for (var i = 0; i < 600 && degraded is null; i++)
        {
            var health = await Service.Http.GetFromJsonAsync<JsonElement>("/health");
            if (health.GetProperty("status").GetString() == "degraded") degraded = health;
            else await Task.Delay(10);
        }
        await publishing;
        Assert.NotNull(degraded);
        Assert.Contains("pipeline: the oldest input has waited", degraded.Value.GetProperty("problems")[0].GetString());
    }
}
