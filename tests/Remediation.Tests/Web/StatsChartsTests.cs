using System.Text.Json;
using Microsoft.Playwright;
using Remediation.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.Tests.Web;

/// <summary>
/// The "which runbooks work" charts drawn from a fixed GET /api/stats answer served by Playwright, so the drawing is
/// tested on known numbers whatever the store holds.
/// </summary>
public sealed class StatsChartsTests(Servers servers, ITestOutputHelper output) : BrowserTests(servers)
{
    private const string Hostile = "<img id=\"injected\" src=x>";

    private static readonly object Stats = new
    {
        since = "2026-11-24T00:00:00Z",
        until = "2026-12-01T00:00:00Z",
        runbooks = new object[]
        {
            new { runbook = "gpu-reset", incidents = 40, fixedFirstRung = 30, escalations = 10, handedToHuman = 2, rmas = 3, recoveryP50Seconds = 42.0, recoveryP90Seconds = 300.0 },
            new { runbook = "reboot", incidents = 8, fixedFirstRung = 5, escalations = 3, handedToHuman = 1, rmas = 2, recoveryP50Seconds = 600.0, recoveryP90Seconds = 1800.0 },
            new { runbook = Hostile, incidents = 1, fixedFirstRung = 0, escalations = 0, handedToHuman = 1, rmas = 0, recoveryP50Seconds = (double?)null, recoveryP90Seconds = (double?)null },
        },
        faults = new object[]
        {
            new { fault = "xid:79", incidents = 12, fixedFirstRung = 2, escalations = 10, handedToHuman = 1, rmas = 5, recoveryP50Seconds = 900.0, recoveryP90Seconds = 2400.0 },
            new { fault = "ecc", incidents = 36, fixedFirstRung = 33, escalations = 3, handedToHuman = 2, rmas = 0, recoveryP50Seconds = 40.0, recoveryP90Seconds = 200.0 },
        },
        failingSteps = new object[] { new { runbook = "gpu-reset", step = "reset", action = "reset_gpu", failed = 9, timedOut = 1 } },
        lemons = new object[]
        {
            new { nodeId = "gpu-node-017", device = "PCI:0000:3b:00", incidents = 6 },
            new { nodeId = Hostile, device = (string?)null, incidents = 3 },
        },
        incidentsOverTime = new object[]
        {
            new { day = "2026-11-29", fault = "ecc", incidents = 10 },
            new { day = "2026-11-29", fault = "xid:79", incidents = 4 },
            new { day = "2026-11-30", fault = "ecc", incidents = 26 },
            new { day = "2026-11-30", fault = "xid:79", incidents = 8 },
            new { day = "2026-11-30", fault = Hostile, incidents = 1 },
        },
    };

    [Fact]
    public async Task Charts_draw_incidents_over_time_recovery_and_outcome_by_runbook_and_the_lemons_as_text()
    {
        var asked = new List<string>();
        var page = await Chromium.OpenAsync(Service.Http.BaseAddress!, ScriptErrors);
        await page.RouteAsync("**/api/stats?**", async route =>
        {
            asked.Add(new Uri(route.Request.Url).Query);
            await route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = JsonSerializer.Serialize(Stats) });
        });
        await page.GotoAsync("/ui/#/stats");
        await SignedIn.SignInAsync(page, ServiceUnderTest.Token);

        var overTime = page.Locator("#chart-over-time svg rect.bar");
        await Expect(overTime).ToHaveCountAsync(5);
        await Expect(page.Locator("#chart-over-time rect[data-day='2026-11-30'][data-fault='ecc']")).ToHaveAttributeAsync("data-n", "26");
        await Expect(page.Locator("#chart-over-time .legend")).ToContainTextAsync("xid:79");
        // The tallest day's stack reaches the top of its axis (niceMax(35) = 50) in proportion: 35 of 50 of 180 px.
        var stack = await page.Locator("#chart-over-time rect[data-day='2026-11-30']").EvaluateAllAsync<double>(
            "rects => rects.reduce((h, r) => h + Number(r.getAttribute('height')), 0)");
        Assert.Equal(35.0 / 50 * 180, stack, 3);

        await Expect(page.Locator("#chart-recovery rect[data-p='p50']")).ToHaveCountAsync(2);
        await Expect(page.Locator("#chart-recovery rect[data-p='p90']")).ToHaveCountAsync(2);
        await Expect(page.Locator("#chart-recovery")).ToContainTextAsync("30.0 min");
        var p90 = await Width(page, "#chart-recovery rect[data-runbook='reboot'][data-p='p90']");
        var p50 = await Width(page, "#chart-recovery rect[data-runbook='reboot'][data-p='p50']");
        Assert.Equal(3.0, p90 / p50, 3);

        await Expect(page.Locator("#chart-outcome rect[data-runbook='gpu-reset'][data-outcome='fixedFirstRung']")).ToHaveAttributeAsync("data-n", "30");
        await Expect(page.Locator("#chart-outcome rect[data-runbook='gpu-reset'][data-outcome='escalatedOther']")).ToHaveAttributeAsync("data-n", "5");
        await Expect(page.Locator("#chart-outcome rect[data-runbook='reboot'][data-outcome='rmas']")).ToHaveAttributeAsync("data-n", "2");

        await Expect(page.Locator("#lemons tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#lemons tbody tr").First).ToContainTextAsync("gpu-node-017");
        await Expect(page.Locator("#lemons")).ToContainTextAsync(Hostile);
        await Expect(page.Locator("#stats-failing")).ToContainTextAsync("reset_gpu");
        await Expect(page.Locator("#stats-faults tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#chart-outcome")).ToContainTextAsync(Hostile);
        Assert.Equal(0, await page.Locator("#injected, img").CountAsync());
        await Screenshots.TakeAsync(page, "stats", output);

        var reload = page.WaitForRequestAsync("**/api/stats?since=30d");
        await page.Locator("#stats-since").SelectOptionAsync("30d");
        await reload;
        await Expect(page.Locator("#stats-since")).ToHaveValueAsync("30d");
        Assert.Equal("?since=7d", asked[0]);
        Assert.Empty(ScriptErrors);
    }

    [Fact]
    public async Task The_charts_draw_from_the_services_own_stats_after_an_incident_closes()
    {
        const string node = "gpu-node-stats";
        await using var agents = await Service.StartAgentsAsync([node], _ => true);
        await Service.PublishAsync(Faults.Xid(node, 48));
        await Service.WaitForNodeAsync(node, n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 1);

        var page = await OpenSignedInAsync("/ui/#/stats");

        await Expect(page.Locator("#chart-outcome rect[data-runbook='gpu-reset'][data-outcome='fixedFirstRung']")).ToHaveAttributeAsync("data-n", "1");
        await Expect(page.Locator("#chart-over-time rect[data-fault='xid:48']")).ToHaveAttributeAsync("data-n", "1");
        await Expect(page.Locator("#lemons")).ToContainTextAsync("None in this period.");
        Assert.Empty(ScriptErrors);
    }

    private static Task<double> Width(IPage page, string selector) =>
        page.Locator(selector).EvaluateAsync<double>("r => Number(r.getAttribute('width'))");
}
