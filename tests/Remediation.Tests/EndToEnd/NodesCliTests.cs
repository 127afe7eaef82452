using System.Diagnostics;
using System.Globalization;
using Remediation.Cli;
using Remediation.Cli.Commands;
using Remediation.Tests.Infrastructure;
using Remediation.Tests.Web;

namespace Remediation.Tests.EndToEnd;

/// <summary><c>remediation nodes</c> with the API's filters, on a seeded fleet.</summary>
public sealed class NodesCliTests(Servers servers) : ServiceTests(servers)
{
    private const int Fleet = 2_100;
    private const string Prefix = "gpu-cli-";
    private static readonly string TopologyFile = WriteTopology();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Storm:TopologyFile"] = TopologyFile };

    [Fact]
    public async Task Without_filters_it_lists_every_node_across_pages_and_counts_them_by_state()
    {
        await FleetSeed.SeedAsync(Servers.Postgres, Service.Schema, Fleet, Prefix);

        var lines = Lines(await RunAsync("nodes"));

        Assert.Equal(Enumerable.Range(1, Fleet).Select(g => $"{Prefix}{g:D6}"), Nodes(lines));
        Assert.Contains($"{Fleet} nodes", lines);
        var states = lines.Single(l => l.StartsWith("by state: ", StringComparison.Ordinal))["by state: ".Length..].Split(", ");
        var healthy = Fleet - FleetSeed.NeedsHuman(Fleet) - FleetSeed.Cordoned(Fleet);
        Assert.Equal([$"Cordoned {FleetSeed.Cordoned(Fleet)}", $"Healthy {healthy.ToString("N0", CultureInfo.InvariantCulture)}", $"NeedsHuman {FleetSeed.NeedsHuman(Fleet)}"],
            states.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("more:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_kind_rack_switch_and_search_narrow_the_list_as_the_api_does()
    {
        await FleetSeed.SeedAsync(Servers.Postgres, Service.Schema, Fleet, Prefix);

        var needsHuman = Lines(await RunAsync("nodes", "--status", "NeedsHuman"));
        Assert.Equal(Enumerable.Range(1, FleetSeed.NeedsHuman(Fleet)).Select(i => $"{Prefix}{i * 100:D6}"), Nodes(needsHuman));
        Assert.Contains(needsHuman, l => l.StartsWith("by state (every filter but --status): Healthy", StringComparison.Ordinal));

        Assert.Equal([$"{Prefix}000042"], Nodes(Lines(await RunAsync("nodes", "--q", "000042"))));
        Assert.Equal([$"{Prefix}000100"], Nodes(Lines(await RunAsync("nodes", "--rack", "r1", "--kind", "xid:79"))));
        Assert.Equal([$"{Prefix}000100", $"{Prefix}000251"], Nodes(Lines(await RunAsync("nodes", "--switch", "leaf-2"))));
        Assert.Empty(Nodes(Lines(await RunAsync("nodes", "--kind", "ecc"))));
    }

    [Fact]
    public async Task Limit_and_after_print_one_stretch_and_say_where_to_go_on()
    {
        await FleetSeed.SeedAsync(Servers.Postgres, Service.Schema, Fleet, Prefix);

        var first = Lines(await RunAsync("nodes", "--limit", "1500"));
        Assert.Equal(Enumerable.Range(1, 1500).Select(g => $"{Prefix}{g:D6}"), Nodes(first));
        Assert.Contains($"more: add --after {Prefix}001500", first);

        var stretch = Lines(await RunAsync("nodes", "--limit", "5", "--after", $"{Prefix}000010"));
        Assert.Equal(Enumerable.Range(11, 5).Select(g => $"{Prefix}{g:D6}"), Nodes(stretch));
        Assert.Contains($"more: add --after {Prefix}000015", stretch);

        Assert.Equal([$"{Prefix}{Fleet:D6}"], Nodes(Lines(await RunAsync("nodes", "--after", $"{Prefix}{Fleet - 1:D6}"))));
    }

    [Fact]
    public async Task A_filter_the_service_refuses_is_printed_with_its_reason()
    {
        var status = await Assert.ThrowsAsync<CliException>(() => RunAsync("nodes", "--status", "Sleeping"));
        Assert.Contains("unknown status 'Sleeping'", status.Message);
        var limit = await Assert.ThrowsAsync<CliException>(() => RunAsync("nodes", "--limit", "0"));
        Assert.Contains("--limit must be a positive whole number", limit.Message);
    }

    [Fact]
    public async Task Help_names_every_filter_of_nodes()
    {
        using var cli = Process.Start(new ProcessStartInfo("dotnet", [typeof(NodesCommand).Assembly.Location, "nodes", "--help"]) { RedirectStandardOutput = true })!;
        var help = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();

        Assert.Equal(0, cli.ExitCode);
        Assert.All(new[] { "--status STATE", "--kind KIND|xid:N", "--rack R", "--switch S", "--q TEXT", "--limit N", "--after NODE" }, o => Assert.Contains(o, help));
    }

    private async Task<string> RunAsync(params string[] words)
    {
        var args = new List<string>(words) { "--api", Service.Http.BaseAddress!.ToString().TrimEnd('/'), "--token", ServiceUnderTest.Token };
        var output = new StringWriter();
        Assert.Equal(0, await NodesCommand.RunAsync(new CliArgs(args), output, CancellationToken.None));
        return output.ToString();
    }

    private static List<string> Lines(string output) => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd())];

    private static List<string> Nodes(List<string> lines) =>
        [.. lines.Where(l => l.StartsWith(Prefix, StringComparison.Ordinal)).Select(l => l.Split(' ')[0])];

    private static string WriteTopology()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nodes-cli-topology-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["node,rack,switch", $"{Prefix}000001,r1,leaf-1", $"{Prefix}000100,r1,leaf-2", $"{Prefix}000251,r2,leaf-2"]);
        return path;
    }
}
