using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>A node's timeline read a page at a time, both ways, as the operator API serves it from the event store.</summary>
public sealed class TimelinePagingTests(Servers servers) : ServiceTests(servers)
{
    private const string Node = "gpu-node-pages";

    [Fact]
    public async Task Pages_follow_their_next_links_to_the_whole_timeline_oldest_or_newest_first()
    {
        await RecordFaultsAsync(7);
        var whole = await Service.Http.GetFromJsonAsync<List<JsonElement>>($"/api/nodes/{Node}/timeline");
        Assert.True(whole!.Count >= 7, $"{whole.Count} events");
        var versions = whole.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, whole.Count).Select(v => (long)v), versions);

        Assert.Equal(versions, await ReadPagesAsync($"/api/nodes/{Node}/timeline?limit=3"));
        Assert.Equal(versions.AsEnumerable().Reverse(), await ReadPagesAsync($"/api/nodes/{Node}/timeline?limit=3&order=desc"));

        var newest = await Service.Http.GetFromJsonAsync<List<JsonElement>>($"/api/nodes/{Node}/timeline?order=desc&limit=1");
        Assert.Equal(whole[^1].GetRawText(), Assert.Single(newest!).GetRawText());
        Assert.Equal("FaultReported", whole[0].GetProperty("type").GetString());
        Assert.Equal("pages-1", whole[0].GetProperty("data").GetProperty("eventId").GetString());
    }

    [Fact]
    public async Task An_event_of_a_type_this_build_does_not_know_is_served_by_its_stored_name_not_a_500()
    {
        await RecordFaultsAsync(1);
        await using (var connection = new NpgsqlConnection(Servers.Postgres))
        {
            await connection.OpenAsync();
            // What a newer build's event looks like to this one: a type name and JSON it has no mapping for.
            await using var insert = new NpgsqlCommand(
                $"update {Service.Schema}.mt_streams set version = version + 1 where id = '{Node}';"
                + $"insert into {Service.Schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id) "
                + $"select nextval('{Service.Schema}.mt_events_sequence'), gen_random_uuid(), id, version, '{{\"firmware\":\"96.00.5E\"}}', 'gpu_firmware_flashed', now(), '*DEFAULT*' "
                + $"from {Service.Schema}.mt_streams where id = '{Node}'", connection);
            await insert.ExecuteNonQueryAsync();
        }

        var response = await Service.Http.GetAsync($"/api/nodes/{Node}/timeline?order=desc&limit=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var newest = Assert.Single((await response.Content.ReadFromJsonAsync<List<JsonElement>>())!);
        Assert.Equal("gpu_firmware_flashed", newest.GetProperty("type").GetString());
        Assert.Contains("96.00.5E", newest.GetProperty("data").GetProperty("json").GetString());
    }

    [Theory]
    [InlineData("?limit=0", "limit must be from 1 to 1000")]
    [InlineData("?order=sideways", "order must be asc")]
    [InlineData("?after=-1", "after must be a sequence number")]
    public async Task A_bad_page_is_400_with_the_reason(string query, string reason)
    {
        var response = await Service.Http.GetAsync($"/api/nodes/{Node}/timeline{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_node_with_no_events_is_404_paged_or_not()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Service.Http.GetAsync("/api/nodes/gpu-node-never/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Service.Http.GetAsync("/api/nodes/gpu-node-never/timeline?limit=5")).StatusCode);
    }

    /// <summary>Xid 13s on distinct GPUs: each is a fault of its own (no repeat to fold), recorded in the node's stream.</summary>
    private async Task RecordFaultsAsync(int count)
    {
        for (var i = 1; i <= count; i++)
            await Service.PublishRawAsync($$"""
                {"eventId":"pages-{{i}}","nodeId":"{{Node}}","kind":"xid","xid":13,"device":"PCI:0000:{{i:x2}}:00",
                 "message":"NVRM: Xid (PCI:0000:{{i:x2}}:00): 13, pid=4242, name=python3, Graphics SM Warp Exception on (GPC 0, TPC 1, SM 0): Out Of Range Address",
                 "observedAt":"{{DateTimeOffset.UtcNow:O}}","source":"kmsg"}
                """);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await Service.Http.GetAsync($"/api/nodes/{Node}/timeline");
            if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<List<JsonElement>>())!
                    .Count(e => e.GetProperty("type").GetString() == "FaultReported") >= count) return;
            Assert.True(DateTime.UtcNow < deadline, $"{count} faults were not recorded in 30 s");
            await Task.Delay(100);
        }
    }

    /// <summary>Every page from the first, following each <c>Link: rel="next"</c> until there is none.</summary>
    private async Task<List<long>> ReadPagesAsync(string first)
    {
        var versions = new List<long>();
        string? next = first;
        for (var pages = 0; next is not null; pages++)
        {
            Assert.True(pages < 50, "the next links never ended");
            using var response = await Service.Http.GetAsync(next);
            response.EnsureSuccessStatusCode();
            var page = (await response.Content.ReadFromJsonAsync<List<JsonElement>>())!;
            Assert.InRange(page.Count, 1, 3);
            versions.AddRange(page.Select(e => e.GetProperty("sequence").GetInt64()));
            next = response.Headers.TryGetValues("Link", out var links)
                ? links.Single().Split('>')[0].TrimStart('<')
                : null;
        }
        return versions;
    }
}
