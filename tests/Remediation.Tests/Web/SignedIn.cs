using Microsoft.Playwright;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Web;

/// <summary>A tab on the page signed in the way an operator does it: the token typed into the page's own form.</summary>
public static class SignedIn
{
    public static async Task<IPage> OpenAsync(HeadlessChromium chromium, ServiceUnderTest service, List<string> scriptErrors,
        string path, string token = ServiceUnderTest.Token)
    {
        var page = await chromium.OpenAsync(service.Http.BaseAddress!, scriptErrors);
        await page.GotoAsync(path);
        await SignInAsync(page, token);
        return page;
    }

    public static async Task SignInAsync(IPage page, string token)
    {
        await page.Locator("#token").FillAsync(token);
        await page.Locator("#login button[type=submit]").ClickAsync();
    }
}
