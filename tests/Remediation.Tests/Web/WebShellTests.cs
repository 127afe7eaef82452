using System.Net;
using System.Text.RegularExpressions;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Web;

/// <summary>The page's shell over plain HTTP: public, data-free, locked to its own scripts, every file it loads present.</summary>
public sealed partial class WebShellTests(Servers servers) : ServiceTests(servers)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/ui")]
    public async Task The_root_redirects_to_the_page(string path)
    {
        using var http = Anonymous(allowRedirect: false);
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task The_shell_needs_no_token_holds_no_data_and_allows_only_its_own_scripts()
    {
        await Service.PublishAsync(Faults.Xid("gpu-node-shell", 13));
        await Service.WaitForNodeAsync("gpu-node-shell", _ => true);
        using var http = Anonymous();

        var response = await http.GetAsync("/ui/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("gpu-node-shell", await response.Content.ReadAsStringAsync());
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
    }

    [Fact]
    public async Task Every_file_the_page_loads_is_served()
    {
        using var http = Anonymous();
        var seen = new HashSet<string>();
        var pending = new Queue<string>(["index.html"]);
        while (pending.TryDequeue(out var file))
        {
            if (!seen.Add(file)) continue;
            var response = await http.GetAsync($"/ui/{file}");
            Assert.True(response.IsSuccessStatusCode, $"/ui/{file} answered {(int)response.StatusCode}");
            foreach (Match m in Reference().Matches(await response.Content.ReadAsStringAsync())) pending.Enqueue(m.Groups["file"].Value);
        }
        Assert.Contains("timeline.js", seen);
        Assert.Contains("style.css", seen);
    }

    [Fact]
    public async Task An_unknown_file_is_404()
    {
        using var http = Anonymous();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/missing.js")).StatusCode);
    }

    private HttpClient Anonymous(bool allowRedirect = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = allowRedirect }) { BaseAddress = Service.Http.BaseAddress };

    // src="x.js", href="x.css" in the HTML and `from './x.js'` in the modules.
    [GeneratedRegex("""(?:src="|href="|from ')(?:\./)?(?<file>[a-z-]+\.(?:js|css|svg))""")]
    private static partial Regex Reference();
}
