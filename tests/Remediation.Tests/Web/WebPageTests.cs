using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Remediation.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.Tests.Web;

/// <summary>The operators' page in a real headless Chromium against the real service.</summary>
public sealed class WebPageTests(Servers servers, ITestOutputHelper output) : BrowserTests(servers)
{
    private const string Reset = "gpu-node-web-1";
    private const string Risky = "gpu-node-web-2";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Decider:AutoApprove"] = "false" };

    [Fact]
    public async Task Fleet_shows_counts_nodes_and_approvals_and_a_click_opens_the_node_timeline_in_order()
    {
        await using var agents = await Service.StartAgentsAsync([Reset, Risky], _ => true);
        await Service.PublishAsync(Faults.Xid(Reset, 48), Faults.Xid(Risky, 79));
        await Service.WaitForNodeAsync(Reset, n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 1);
        await Service.WaitForNodeAsync(Risky, n => ServiceUnderTest.Is(n, "AwaitingApproval"));
        var recorded = (await Service.TimelineAsync(Reset)).Select(e => e.Type).ToList();

        var page = await OpenSignedInAsync("/");

        await Expect(page).ToHaveURLAsync(new Regex("/ui/$"));
        await Expect(Count(page, "all")).ToHaveTextAsync("2");
        await Expect(Count(page, "Healthy")).ToHaveTextAsync("1");
        await Expect(Count(page, "AwaitingApproval")).ToHaveTextAsync("1");
        await Expect(Count(page, "NeedsHuman")).ToHaveTextAsync("0");
        await Expect(Row(page, Reset)).ToContainTextAsync("Healthy");
        await Expect(Row(page, Risky)).ToContainTextAsync("Xid 79 on PCI:0000:3b:00");
        await Expect(Row(page, Risky)).ToContainTextAsync("reboot");
        await Expect(Row(page, Risky)).ToContainTextAsync("awaiting approval");
        await Expect(page.Locator("#approvals")).ToContainTextAsync(Risky);
        await Screenshots.TakeAsync(page, "fleet", output);

        await Row(page, Reset).GetByRole(AriaRole.Link, new() { Name = Reset }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/ui/#/nodes/{Reset}$"));
        await Expect(page.Locator("#node-head h1")).ToHaveTextAsync(Reset);
        await Expect(page.Locator("#timeline tr.event")).ToHaveCountAsync(recorded.Count);
        Assert.Equal(recorded, await page.Locator("#timeline tr.event .type").AllTextContentsAsync());
        AssertInOrder(recorded, "FaultReported", "IncidentOpened", "RunbookStarted", "StepDispatched", "StepSucceeded", "IncidentResolved");
        await Expect(EventRow(page, "StepDispatched").First).ToContainTextAsync("gpu-reset / ");
        await Expect(EventRow(page, "FaultReported").First).ToContainTextAsync("Xid 48 on PCI:0000:3b:00");
        await Screenshots.TakeAsync(page, "timeline", output);
        Assert.Empty(ScriptErrors);
    }

    [Fact]
    public async Task A_wrong_token_shows_the_services_401_message_and_the_form_again()
    {
        var page = await OpenSignedInAsync("/ui/", token: "not-the-token");

        await Expect(page.Locator("#login-error")).ToContainTextAsync("the bearer token is not one of the configured operator tokens");
        await Expect(page.Locator("#token")).ToBeVisibleAsync();
        await Expect(page.Locator("#counts")).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "login-refused", output);

        await SignedIn.SignInAsync(page, ServiceUnderTest.Token);
        await Expect(Count(page, "all")).ToHaveTextAsync("0");
    }

    [Fact]
    public async Task A_pause_shows_a_banner_with_who_and_why_and_text_from_the_network_is_never_markup()
    {
        const string reason = "firmware rollout <b id=\"injected\">tonight</b>";
        const string message = "NVRM: Xid 79 <img id=\"injected-img\" src=x> fell off the bus";
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Service.PostAsync("/api/automation/pause", new { reason })).Status);
        await Service.PublishAsync(Faults.Xid(Risky, 79) with { Message = message });
        await Service.WaitForNodeAsync(Risky, n => ServiceUnderTest.Is(n, "AwaitingApproval"));

        var page = await OpenSignedInAsync("/ui/");

        var banner = page.Locator("#pause-banner");
        await Expect(banner).ToContainTextAsync("Automation is paused by tester");
        await Expect(banner).ToContainTextAsync(reason);
        await Expect(page.Locator("#approvals")).ToContainTextAsync(message);
        await Screenshots.TakeAsync(page, "paused", output);

        await page.GotoAsync($"/ui/#/nodes/{Risky}");
        await Expect(EventRow(page, "FaultReported").First).ToContainTextAsync(message);
        await Expect(page.Locator("#node-head")).ToContainTextAsync(message);
        Assert.Equal(0, await page.Locator("#injected, #injected-img, img").CountAsync());
        Assert.Empty(ScriptErrors);
    }

    private static ILocator Count(IPage page, string status) => page.Locator($"#counts [data-status='{status}'] .n");

    private static ILocator Row(IPage page, string node) => page.Locator($"#nodes tr[data-node='{node}']");

    private static ILocator EventRow(IPage page, string type) => page.Locator($"#timeline tr.event[data-type='{type}']");

    private static void AssertInOrder(List<string> types, params string[] expected)
    {
        var at = expected.Select(t => types.IndexOf(t)).ToList();
        Assert.DoesNotContain(-1, at);
        Assert.Equal(at.Order(), at);
    }
}
