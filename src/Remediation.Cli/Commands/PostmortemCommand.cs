using Remediation.Cli.Rendering;

namespace Remediation.Cli.Commands;

public static class PostmortemCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var id = args.Positional.ElementAtOrDefault(1) ?? throw new CliException("usage: remediation postmortem INCIDENT_ID [--out FILE]");
        var report = await ApiClient.For(args).GetJsonAsync($"/api/incidents/{Uri.EscapeDataString(id)}", ct);
        var markdown = PostmortemMarkdown.Render(report);
        if (args.Option("out") is { } file)
        {
            await File.WriteAllTextAsync(file, markdown, ct);
            await output.WriteLineAsync($"wrote {file}");
        }
        else await output.WriteAsync(markdown);
        return 0;
    }
}
