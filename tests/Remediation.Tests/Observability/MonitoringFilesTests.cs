using System.Text.Json;
using System.Text.RegularExpressions;

namespace Remediation.Tests.Observability;

/// <summary>The dashboard and rules as files: well-formed, complete, and the name check itself catches a typo.</summary>
public sealed class MonitoringFilesTests
{
    private const string Scrape = """
        # TYPE remediation_faults_received_total counter
        remediation_faults_received_total{kind="xid"} 3
        remediation_commit_seconds_bucket{le="0.001"} 1
        remediation_commit_seconds_sum 0.02
        remediation_commit_seconds_count 4
        """;

    [Fact]
    public void A_misspelt_metric_name_is_not_among_the_exported_ones()
    {
        var referenced = MetricNames.In(["sum(rate(remediation_faults_recieved_total[5m]))", "remediation_commit_seconds_count"]);

        var missing = referenced.Except(MetricNames.Exported(Scrape));

        Assert.Equal(["remediation_faults_recieved_total"], missing);
    }

    [Fact]
    public void Histogram_series_count_as_their_metric()
    {
        var referenced = MetricNames.In(["histogram_quantile(0.99, sum by (le) (rate(remediation_commit_seconds_bucket[5m])))"]);

        Assert.Equal(["remediation_commit_seconds"], referenced);
        Assert.Contains("remediation_commit_seconds", MetricNames.Exported(Scrape));
    }

    [Fact]
    public void Every_alert_rule_has_an_expression_a_duration_a_severity_and_a_summary()
    {
        var rules = MonitoringFiles.ReadRules().Groups.SelectMany(g => g.Rules).ToList();

        Assert.True(rules.Count >= 6, $"only {rules.Count} rules");
        Assert.All(rules, rule =>
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Alert), "a rule without alert");
            Assert.False(string.IsNullOrWhiteSpace(rule.Expr), $"{rule.Alert}: no expr");
            Assert.Matches(new Regex(@"^\d+[smhd]$"), rule.For ?? "");
            Assert.Contains(rule.Labels.GetValueOrDefault("severity"), new[] { "critical", "warning", "info" });
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault("summary")), $"{rule.Alert}: no summary");
        });
        Assert.Empty(rules.GroupBy(r => r.Alert).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Theory]
    [InlineData("remediation_pipeline_lag_seconds")]
    [InlineData("remediation_faults_received_total")]
    [InlineData("remediation_decisions_total")]
    [InlineData("remediation_invalid_messages_total")]
    [InlineData("remediation_approval_oldest_age_seconds")]
    [InlineData("remediation_automation_paused")]
    [InlineData("up{job=\"remediation\"}")]
    public void The_alerts_watch_lag_the_dead_man_invalid_input_approvals_pause_and_the_service_itself(string watched)
    {
        var expressions = MonitoringFiles.ReadRules().Groups.SelectMany(g => g.Rules).Select(r => r.Expr ?? "");
        Assert.Contains(expressions, e => e.Contains(watched, StringComparison.Ordinal));
    }

    [Fact]
    public void The_dead_man_fires_on_faults_arriving_with_no_decisions()
    {
        var deadMan = MonitoringFiles.ReadRules().Groups.SelectMany(g => g.Rules).Single(r => r.Alert == "RemediationDeadMan").Expr!;
        Assert.Contains("rate(remediation_faults_received_total", deadMan);
        Assert.Contains("rate(remediation_decisions_total[5m])) == 0", deadMan);
    }

    [Fact]
    public void Every_dashboard_panel_queries_the_chosen_prometheus_and_has_a_unique_title()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(MonitoringFiles.Dashboard));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.GetProperty("type").GetString() != "row").ToList();

        Assert.NotEmpty(panels);
        Assert.All(panels, p =>
        {
            var title = p.GetProperty("title").GetString();
            Assert.Equal("${datasource}", p.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.True(p.GetProperty("targets").GetArrayLength() > 0, $"{title}: no queries");
            Assert.True(p.TryGetProperty("gridPos", out _), $"{title}: no position");
        });
        Assert.Empty(panels.GroupBy(p => p.GetProperty("title").GetString()).Where(g => g.Count() > 1).Select(g => g.Key));
    }
}
