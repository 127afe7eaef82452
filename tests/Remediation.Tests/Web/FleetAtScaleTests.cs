using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Remediation.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.Tests.Web;

/// <summary>The page on a fleet of 100,000 nodes: it shows a page of them, counts them all, and finds one.</summary>
public sealed class FleetAtScaleTests(Servers servers, ITestOutputHelper output) : BrowserTests(servers)
{
    private const int Fleet = 100_000;
    private const string Prefix = "gpu-scale-";

    [Fact]
    public async Task A_fleet_of_100000_shows_its_first_page_and_counts_and_a_search_finds_one_node()
    {
        var seeding = Stopwatch.StartNew();
        await FleetSeed.SeedAsync(Servers.Postgres, Service.Schema, Fleet, Prefix);
        output.WriteLine($"seeded {Fleet:N0} node documents in {seeding.ElapsedMilliseconds} ms");
        var page = await Chromium.OpenAsync(Service.Http.BaseAddress!, ScriptErrors);
        var responses = new List<int>();
        page.Response += (_, r) => { if (r.Url.Contains("/api/nodes")) responses.Add(r.Status); };
        await page.GotoAsync("/ui/");

        var shown = Stopwatch.StartNew();
        await SignedIn.SignInAsync(page, ServiceUnderTest.Token);
        await Expect(page.Locator("#nodes tbody tr[data-node]")).ToHaveCountAsync(100);
        output.WriteLine($"first page of nodes shown {shown.ElapsedMilliseconds} ms after signing in");

        await Expect(Count(page, "all")).ToHaveTextAsync("100,000");
        await Expect(Count(page, "NeedsHuman")).ToHaveTextAsync(FleetSeed.NeedsHuman(Fleet).ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#nodes tbody tr[data-node]").First).ToHaveAttributeAsync("data-node", $"{Prefix}000001");
        await Expect(page.Locator("#shown")).ToHaveTextAsync("1–100 of 100,000");

        await page.Locator("#next-page").ClickAsync();
        await Expect(page.Locator("#nodes tbody tr[data-node]").First).ToHaveAttributeAsync("data-node", $"{Prefix}000101");
        await Expect(page.Locator("#shown")).ToHaveTextAsync("101–200 of 100,000");

        var search = Stopwatch.StartNew();
        await page.Locator("#filter").FillAsync("076543");
        await Expect(page.Locator("#nodes tbody tr[data-node]")).ToHaveCountAsync(1);
        output.WriteLine($"search shown {search.ElapsedMilliseconds} ms after typing (250 ms of it the typing pause)");
        await Expect(page.Locator($"#nodes tr[data-node='{Prefix}076543']")).ToContainTextAsync("Healthy");
        await Expect(page.Locator("#shown")).ToHaveTextAsync("1–1 of 1");

        await page.Locator("#filter").FillAsync("");
        await Count(page, "NeedsHuman").ClickAsync();
        await Expect(page.Locator("#nodes tbody tr[data-node]")).ToHaveCountAsync(100);
        Assert.All(await page.Locator("#nodes tbody tr[data-node]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.status)"),
            status => Assert.Equal("NeedsHuman", status));
        await Expect(page.Locator("#nodes tbody tr[data-node]").First).ToContainTextAsync("Xid 79 on PCI:0000:3b:00");
        await Expect(page).ToHaveURLAsync(new Regex("/ui/"));
        await Screenshots.TakeAsync(page, "fleet-100000", output);

        Assert.DoesNotContain(responses, s => s != 200);
        Assert.Empty(ScriptErrors);
        foreach (var query in new[] { "", "?q=076543", "?status=NeedsHuman", $"?after={Prefix}090000", "?kind=xid:79&limit=1000" })
            output.WriteLine($"GET /api/nodes{query} on {Fleet:N0} nodes: median {await MedianMillisecondsAsync($"/api/nodes{query}"):F1} ms of 7");
    }

    private async Task<double> MedianMillisecondsAsync(string path)
    {
        var times = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var watch = Stopwatch.StartNew();
            (await Service.Http.GetAsync(path)).EnsureSuccessStatusCode();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    private static ILocator Count(IPage page, string status) => page.Locator($"#counts [data-status='{status}'] .n");
}
