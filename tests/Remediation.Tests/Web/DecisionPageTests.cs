using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Remediation.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.Tests.Web;

/// <summary>Deciding on the page: only the buttons a token's roles allow, each behind a confirmation, first decision wins.</summary>
public sealed class DecisionPageTests(Servers servers, ITestOutputHelper output) : BrowserTests(servers)
{
    private const string Risky = "gpu-node-decide";
    private const string ViewerToken = "viewer-token";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Decider:AutoApprove"] = "false",
        ["Api:Tokens:vera"] = ViewerToken,
    };

    [Fact]
    public async Task An_approver_approves_after_a_confirmation_with_node_fault_evidence_step_and_what_was_tried()
    {
        await using var agents = await Service.StartAgentsAsync([Risky], _ => true);
        await Service.PublishAsync(Faults.Xid(Risky, 79));
        await Service.WaitForNodeAsync(Risky, n => ServiceUnderTest.Is(n, "AwaitingApproval"));
        var page = await OpenSignedInAsync("/ui/");

        await page.Locator("#approvals [data-act=approve]").ClickAsync();

        var dialog = page.Locator("#confirm");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync(Risky);
        await Expect(dialog).ToContainTextAsync("Xid 79 on PCI:0000:3b:00");
        await Expect(dialog).ToContainTextAsync("NVRM: Xid (PCI:0000:3b:00): 79, pid=1234");
        await Expect(dialog).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Proposed step.*→ reboot"));
        await Expect(dialog).ToContainTextAsync("Already tried");
        await Screenshots.TakeAsync(page, "approve-confirm", output);
        await page.Locator("#confirm-ok").ClickAsync();

        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.Locator("#approvals")).ToBeHiddenAsync();
        var granted = Assert.Single(await Service.TimelineAsync(Risky), e => e.Type == "ApprovalGranted");
        Assert.Equal("api:tester", granted.Data.GetProperty("approver").GetString());

        await page.GotoAsync($"/ui/#/nodes/{Risky}");
        await page.Locator("#node-incidents a").First.ClickAsync();
        await Expect(page.Locator("#approvals-record")).ToContainTextAsync("api:tester");
        Assert.Empty(ScriptErrors);
    }

    [Fact]
    public async Task A_late_reject_is_told_who_approved_first_and_nothing_changes()
    {
        await Service.PublishAsync(Faults.Xid(Risky, 79));
        await Service.WaitForNodeAsync(Risky, n => ServiceUnderTest.Is(n, "AwaitingApproval"));
        var approvalId = (await Service.Http.GetFromJsonAsync<JsonElement>("/api/approvals"))[0].GetProperty("approvalId").GetString();
        var page = await OpenSignedInAsync($"/ui/#/nodes/{Risky}");

        await page.Locator("#node-head [data-act=reject]").ClickAsync();
        await Expect(page.Locator("#confirm-ok")).ToBeDisabledAsync();
        await page.Locator("#confirm-reason").FillAsync("not tonight");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Service.PostAsync($"/api/approvals/{approvalId}/approve")).Status);
        await page.Locator("#confirm-ok").ClickAsync();

        await Expect(page.Locator("#confirm-error")).ToContainTextAsync("Already approved by api:tester");
        await Expect(page.Locator("#confirm-ok")).ToBeHiddenAsync();
        await Screenshots.TakeAsync(page, "late-click", output);
        await page.Locator("#confirm-cancel").ClickAsync();
        Assert.DoesNotContain(await Service.TimelineAsync(Risky), e => e.Type == "ApprovalRejected");
        Assert.DoesNotContain(ScriptErrors, e => !e.Contains("409"));
    }

    [Fact]
    public async Task A_viewer_gets_no_buttons_and_an_operator_pauses_resumes_holds_and_releases_with_reasons()
    {
        await Service.PublishAsync(Faults.Xid(Risky, 79));
        await Service.WaitForNodeAsync(Risky, n => ServiceUnderTest.Is(n, "AwaitingApproval"));
        using var viewerHttp = new HttpClient { BaseAddress = Service.Http.BaseAddress };
        viewerHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ViewerToken);
        var me = await viewerHttp.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("vera", me.GetProperty("operator").GetString());
        Assert.Equal(["viewer"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var viewer = await OpenSignedInAsync("/ui/", ViewerToken);
        await Expect(viewer.Locator("#approvals")).ToContainTextAsync(Risky);
        await Expect(viewer.Locator("#approvals")).ToContainTextAsync("lacks the approver role");
        Assert.Equal(0, await viewer.Locator("button.act").CountAsync());
        await viewer.GotoAsync($"/ui/#/nodes/{Risky}");
        await Expect(viewer.Locator("#node-head h1")).ToHaveTextAsync(Risky);
        Assert.Equal(0, await viewer.Locator("button.act").CountAsync());

        var page = await OpenSignedInAsync("/ui/");
        await page.Locator("#controls [data-act=pause]").ClickAsync();
        await Expect(page.Locator("#confirm-ok")).ToBeDisabledAsync();
        await page.Locator("#confirm-reason").FillAsync("switch firmware <b>tonight</b>");
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(page.Locator("#pause-banner")).ToContainTextAsync("Automation is paused by tester");
        await Expect(page.Locator("#pause-banner")).ToContainTextAsync("switch firmware <b>tonight</b>");
        await page.Locator("#controls [data-act=resume]").ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(page.Locator("#pause-banner .banner")).ToHaveCountAsync(0);

        await page.GotoAsync($"/ui/#/nodes/{Risky}");
        await page.Locator("#node-head [data-act=hold]").ClickAsync();
        await Expect(page.Locator("#confirm")).ToContainTextAsync("Xid 79 on PCI:0000:3b:00");
        await page.Locator("#confirm-reason").FillAsync("replacing the NIC");
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(page.Locator("#node-head .badge")).ToHaveTextAsync("NeedsHuman");
        await page.Locator("#node-head [data-act=release]").ClickAsync();
        await page.Locator("#confirm-reason").FillAsync("NIC replaced");
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(page.Locator("#node-head .badge")).ToHaveTextAsync("Healthy");
        var types = (await Service.TimelineAsync(Risky)).Select(e => e.Type).ToList();
        Assert.Contains("NodeHeld", types);
        Assert.Contains("NodeReleased", types);
        Assert.Empty(ScriptErrors);
    }
}
