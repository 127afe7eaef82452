using Microsoft.Playwright;

namespace Remediation.Tests.Web;

/// <summary>
/// The Debian <c>chromium</c> package driven by Playwright. Never Playwright's own browser download: CI machines
/// have no route to it, and deploy/local/chromium.sh installs the package instead.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run deploy/local/chromium.sh (apt-get install chromium)");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Executable, Headless = true, Args = ["--no-sandbox"] });
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>A fresh tab (its own sessionStorage) on the service, failing the test on any script error.</summary>
    public async Task<IPage> OpenAsync(Uri service, List<string> scriptErrors)
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = service.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => scriptErrors.Add(error);
        page.Console += (_, message) => { if (message.Type == "error" && !message.Text.Contains("401")) scriptErrors.Add($"{message.Text} at {message.Location}"); };
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
