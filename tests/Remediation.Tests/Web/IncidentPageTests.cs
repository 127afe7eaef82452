using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Remediation.Tests.Web;

/// <summary>An incident's page: the postmortem's content from detection to resolution, and a print layout without the chrome.</summary>
public sealed class IncidentPageTests(Servers servers, ITestOutputHelper output) : BrowserTests(servers)
{
    private const string Node = "gpu-node-incident";

    [Fact]
    public async Task An_incident_reads_from_fault_to_resolution_like_the_postmortem_and_prints_without_buttons()
    {
        await using var agents = await Service.StartAgentsAsync([Node], _ => true);
        await Service.PublishAsync(Faults.Xid(Node, 48));
        await Service.WaitForNodeAsync(Node, n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 1);
        var id = (await Service.Http.GetFromJsonAsync<JsonElement>($"/api/incidents?node={Node}"))[0].GetProperty("id").GetString()!;
        var report = await Service.Http.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");

        var page = await OpenSignedInAsync($"/ui/#/incidents/{id}");

        await Expect(page.Locator("#incident-summary h1")).ToContainTextAsync(id);
        await Expect(page.Locator("#incident-summary")).ToContainTextAsync("Xid 48 on PCI:0000:3b:00");
        await Expect(page.Locator("#incident-summary")).ToContainTextAsync(report.GetProperty("resolution").GetString()!);
        await Expect(page.Locator("#steps tbody tr")).ToHaveCountAsync(report.GetProperty("steps").GetArrayLength());
        await Expect(page.Locator("#steps")).ToContainTextAsync("succeeded");
        await Expect(page.Locator("#approvals-record")).ToContainTextAsync("None were needed.");
        await Expect(page.Locator("#deferrals")).ToContainTextAsync("Nothing was deferred.");
        await Expect(page.Locator("#rma")).ToContainTextAsync("No RMA was requested.");
        await Expect(page.Locator("#evidence")).ToContainTextAsync("NVRM: Xid (PCI:0000:3b:00): 48");
        await Expect(page.Locator("#incident-timeline tbody tr")).ToHaveCountAsync(report.GetProperty("events").GetArrayLength());
        await Expect(page.Locator("#incident-timeline")).ToContainTextAsync("IncidentResolved");

        await page.EmulateMediaAsync(new() { Media = Microsoft.Playwright.Media.Print });
        await Expect(page.Locator("header.bar")).ToBeHiddenAsync();
        await Expect(page.Locator("#print")).ToBeHiddenAsync();
        await Expect(page.Locator("#incident-timeline")).ToBeVisibleAsync();
        var pdf = await page.PdfAsync();
        output.WriteLine($"printed incident page: {pdf.Length} bytes of PDF");
        Assert.True(pdf.Length > 1000);
        await page.EmulateMediaAsync(new() { Media = Microsoft.Playwright.Media.Screen });
        await Screenshots.TakeAsync(page, "incident", output);
        Assert.Empty(ScriptErrors);
    }
}
