using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Web;

/// <summary>GET /api/nodes paged, filtered and counted, and the timeline paged, on a seeded fleet.</summary>
public sealed class FleetApiTests(Servers servers) : ServiceTests(servers)
{
    private const int Fleet = 2_500;
    private const string Prefix = "gpu-api-";
    private static readonly string TopologyFile = WriteTopology();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Storm:TopologyFile"] = TopologyFile };

    [Fact]
    public async Task Pages_by_node_id_cover_the_fleet_once_in_order_and_count_states_without_the_documents()
    {
        await FleetSeed.SeedAsync(Servers.Postgres, Service.Schema, Fleet, Prefix);

        var first = await PageAsync("/api/nodes");
        Assert.Equal(100, Ids(first).Count);
        Assert.Equal(Ids(first)[^1], first.GetProperty("next").GetString());
        Assert.Equal(FleetSeed.NeedsHuman(Fleet), Count(first, "NeedsHuman"));
        Assert.Equal(FleetSeed.Cordoned(Fleet), Count(first, "Cordoned"));
        Assert.Equal(Fleet, first.GetProperty("counts").EnumerateObject().Sum(c => c.Value.GetInt32()));

        var all = new List<string>();
        string? after = null;
        do
        {
            var page = await PageAsync($"/api/nodes?limit=1000{(after is null ? "" : $"&after={after}")}");
            all.AddRange(Ids(page));
            after = page.GetProperty("next").GetString();
        } while (after is not null);
        Assert.Equal(Enumerable.Range(1, Fleet).Select(g => $"{Prefix}{g:D6}"), all);
    }

    [Fact]
    public async Task Status_kind_rack_switch_and_search_filter_and_counts_follow_every_filter_but_status()
    {
        await FleetSeed.SeedAsync(Servers.Postgres, Service.Schema, Fleet, Prefix);

        var needsHuman = await PageAsync("/api/nodes?status=needshuman&limit=1000");
        Assert.Equal(FleetSeed.NeedsHuman(Fleet), Ids(needsHuman).Count);
        Assert.All(needsHuman.GetProperty("items").EnumerateArray(), n => Assert.Equal("NeedsHuman", n.GetProperty("status").GetString()));
        Assert.Equal(Fleet - FleetSeed.NeedsHuman(Fleet) - FleetSeed.Cordoned(Fleet), Count(needsHuman, "Healthy"));

        var xid79 = await PageAsync("/api/nodes?kind=xid:79&limit=1000");
        Assert.Equal(Ids(needsHuman), Ids(xid79));
        Assert.Empty(Ids(await PageAsync("/api/nodes?kind=xid:48")));
        Assert.Equal(Ids(needsHuman), Ids(await PageAsync("/api/nodes?kind=xid&limit=1000")));

        var search = await PageAsync("/api/nodes?q=API-001234");
        Assert.Equal([$"{Prefix}001234"], Ids(search));
        Assert.Equal(1, Count(search, "Healthy"));

        Assert.Equal([$"{Prefix}000001", $"{Prefix}000002", $"{Prefix}000100"], Ids(await PageAsync("/api/nodes?rack=r1")));
        var underSwitch = await PageAsync("/api/nodes?switch=leaf-2&status=NeedsHuman");
        Assert.Equal([$"{Prefix}000100"], Ids(underSwitch));
        Assert.Equal(1, Count(underSwitch, "Cordoned"));
    }

    [Theory]
    [InlineData("/api/nodes?limit=0", "limit must be from 1 to 1000")]
    [InlineData("/api/nodes?limit=1001", "limit must be from 1 to 1000")]
    [InlineData("/api/nodes?status=Sleeping", "unknown status 'Sleeping'")]
    [InlineData("/api/nodes?kind=xid:lots", "xid:N")]
    [InlineData("/api/nodes/gpu-node-1/timeline?limit=5000", "limit must be from 1 to 1000")]
    [InlineData("/api/nodes/gpu-node-1/timeline?order=sideways", "order must be asc")]
    public async Task Bad_paging_and_filters_are_400_with_the_reason(string path, string reason)
    {
        var response = await Service.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_timeline_pages_oldest_or_newest_first_with_a_next_link_and_stays_a_whole_array_unpaged()
    {
        const string node = "gpu-node-paged";
        await using var agents = await Service.StartAgentsAsync([node], _ => true);
        await Service.PublishAsync(Faults.Xid(node, 48));
        await Service.WaitForNodeAsync(node, n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 4);
        var whole = (await Service.TimelineAsync(node)).Select(e => e.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, whole.Count).Select(i => (long)i), whole);

        var ascending = await FollowAsync($"/api/nodes/{node}/timeline?limit=2");
        Assert.Equal(whole, ascending);
        var descending = await FollowAsync($"/api/nodes/{node}/timeline?limit=3&order=desc");
        Assert.Equal(whole.AsEnumerable().Reverse(), descending);
        var rest = await Service.Http.GetFromJsonAsync<List<TimelineEntry>>($"/api/nodes/{node}/timeline?after=2");
        Assert.Equal(whole.Skip(2), rest!.Select(e => e.Sequence));
        Assert.Equal(HttpStatusCode.NotFound, (await Service.Http.GetAsync("/api/nodes/gpu-node-none/timeline?limit=5")).StatusCode);
    }

    /// <summary>Every sequence read by following rel="next" from the first page; each page at most its limit.</summary>
    private async Task<List<long>> FollowAsync(string path)
    {
        var sequences = new List<long>();
        for (string? next = path; next is not null;)
        {
            var response = await Service.Http.GetAsync(next);
            response.EnsureSuccessStatusCode();
            var page = (await response.Content.ReadFromJsonAsync<List<TimelineEntry>>())!;
            Assert.InRange(page.Count, 1, int.Parse(next.Split("limit=")[1].Split('&')[0]));
            sequences.AddRange(page.Select(e => e.Sequence));
            next = response.Headers.TryGetValues("Link", out var link)
                ? link.Single().Split('>')[0].TrimStart('<')
                : null;
        }
        return sequences;
    }

    private async Task<JsonElement> PageAsync(string path)
    {
        var response = await Service.Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();

    private static int Count(JsonElement page, string status) => page.GetProperty("counts").GetProperty(status).GetInt32();

    private static string WriteTopology()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-api-topology-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["node,rack,switch", $"{Prefix}000001,r1,leaf-1", $"{Prefix}000002,r1,leaf-1",
            $"{Prefix}000100,r1,leaf-2", $"{Prefix}000251,r2,leaf-2", $"{Prefix}000300,r2,leaf-3"]);
        return path;
    }
}
