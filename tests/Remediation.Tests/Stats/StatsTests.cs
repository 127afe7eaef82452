using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Stats;

/// <summary>Which runbooks work, read from the statistics the commit keeps, and the same after a rebuild from the streams.</summary>
public sealed class StatsTests(Servers servers) : ServiceTests(servers)
{
    [Fact]
    public async Task A_reset_that_fixes_the_gpu_counts_as_a_first_rung_fix_and_a_rebuild_agrees()
    {
        await using var fleet = await Service.StartAgentsAsync(["gpu-stats-1", "gpu-stats-2"], step => step.NodeId != "gpu-stats-2" || step.Action != "gpu_reset");
        await Service.PublishAsync(Faults.Xid("gpu-stats-1", 48), Faults.Xid("gpu-stats-2", 48));
        await Service.WaitForNodeAsync("gpu-stats-1", n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 2, seconds: 60);
        await Service.WaitForNodeAsync("gpu-stats-2", n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 2, seconds: 60);

        var stats = await Service.Http.GetFromJsonAsync<JsonElement>("/api/stats?since=1h");
        var reset = Row(stats, "runbooks", "runbook", "gpu-reset");
        var xid48 = Row(stats, "faults", "fault", "xid:48");

        Assert.Equal((2, 1, 1), (reset.GetProperty("incidents").GetInt32(), reset.GetProperty("fixedFirstRung").GetInt32(), reset.GetProperty("escalations").GetInt32()));
        Assert.Equal(2, xid48.GetProperty("incidents").GetInt32());
        Assert.True(reset.GetProperty("recoveryP50Seconds").GetDouble() > 0);
        Assert.Contains(stats.GetProperty("failingSteps").EnumerateArray(), s => s.GetProperty("action").GetString() == "gpu_reset" && s.GetProperty("failed").GetInt32() >= 1);

        var week = await Service.Http.GetFromJsonAsync<JsonElement>("/api/stats?since=7d");
        Assert.Equal(2, Row(week, "runbooks", "runbook", "gpu-reset").GetProperty("incidents").GetInt32());
        Assert.Equal(reset.GetProperty("recoveryP50Seconds").GetDouble(), Row(week, "runbooks", "runbook", "gpu-reset").GetProperty("recoveryP50Seconds").GetDouble());

        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        Assert.All(new[] { stats, week }, s => Assert.Equal([(today, "xid:48", 2)], s.GetProperty("incidentsOverTime").EnumerateArray()
            .Select(d => (d.GetProperty("day").GetString(), d.GetProperty("fault").GetString(), d.GetProperty("incidents").GetInt32()))));

        // Lemons of a week come from the per-GPU month totals: counts that no stream backs are gone after a rebuild.
        await CountUnbackedLemonAsync();
        Assert.Contains(Lemons(await Service.Http.GetFromJsonAsync<JsonElement>("/api/stats?since=7d")), l => l == "gpu-stats-ghost");

        var rebuilt = await Service.PostAsync("/api/stats/rebuild");
        var again = await Service.Http.GetFromJsonAsync<JsonElement>("/api/stats?since=1h");

        Assert.Equal(HttpStatusCode.OK, rebuilt.Status);
        Assert.Equal(stats.GetProperty("runbooks").GetRawText(), again.GetProperty("runbooks").GetRawText());
        Assert.Equal(stats.GetProperty("failingSteps").GetRawText(), again.GetProperty("failingSteps").GetRawText());
        var weekAgain = await Service.Http.GetFromJsonAsync<JsonElement>("/api/stats?since=7d");
        Assert.Equal(week.GetProperty("runbooks").GetRawText(), weekAgain.GetProperty("runbooks").GetRawText());
        Assert.Empty(Lemons(weekAgain));
    }

    [Fact]
    public async Task A_period_that_is_not_a_duration_or_a_time_is_400_with_the_reason()
    {
        var response = await Service.Http.GetAsync("/api/stats?since=last-tuesday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("since must be a duration such as 7d", await response.Content.ReadAsStringAsync());
    }

    private async Task CountUnbackedLemonAsync()
    {
        await using var connection = new NpgsqlConnection(Servers.Postgres);
        await connection.OpenAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using var insert = new NpgsqlCommand($"insert into {Service.Schema}.stats_node_days values ('gpu-stats-ghost', 'PCI:9', $1, $2)", connection)
            { Parameters = { new() { Value = new DateOnly(today.Year, today.Month, 1) }, new() { Value = Enumerable.Range(1, 31).Select(day => 5 * day).ToArray() } } };
        await insert.ExecuteNonQueryAsync();
    }

    private static List<string> Lemons(JsonElement stats) =>
        stats.GetProperty("lemons").EnumerateArray().Select(l => l.GetProperty("nodeId").GetString()!).ToList();

    private static JsonElement Row(JsonElement stats, string list, string key, string name) =>
        Assert.Single(stats.GetProperty(list).EnumerateArray(), r => r.GetProperty(key).GetString() == name);
}
