using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Remediation.Tests.Web;

/// <summary>What operators see, kept under TestResults/web/ in the checkout so a reviewer can look without a browser.</summary>
public static class Screenshots
{
    public static async Task<string> TakeAsync(IPage page, string name, ITestOutputHelper output)
    {
        var path = Path.Combine(Repo.Root, "TestResults", "web", $"{name}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        Assert.True(File.Exists(path) && new FileInfo(path).Length > 0, $"no screenshot at {path}");
        return path;
    }
}
