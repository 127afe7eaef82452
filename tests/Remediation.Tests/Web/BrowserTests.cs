using Microsoft.Playwright;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Web;

/// <summary>A test class that drives the page in headless Chromium against a fresh service; any script error fails it.</summary>
[Collection(ChromiumCollection.Name)]
public abstract class BrowserTests(Servers servers) : ServiceTests(servers), IAsyncLifetime
{
    protected List<string> ScriptErrors { get; } = [];

    protected HeadlessChromium Chromium { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Chromium = await HeadlessChromium.LaunchAsync();
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await DisposeAsync();
    }

    protected Task<IPage> OpenSignedInAsync(string path, string token = ServiceUnderTest.Token) =>
        SignedIn.OpenAsync(Chromium, Service, ScriptErrors, path, token);
}
