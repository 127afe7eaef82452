using System.Text.Json;
using Remediation.Core.Nodes;

namespace Remediation.Specs;

/// <summary>What a node remembers for dedupe: the newest eventIds, bounded, small in the node document whatever its history.</summary>
public sealed class RecentEventsSpecs
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private static IEnumerable<string> Ids(int from, int count) =>
        Enumerable.Range(from, count).Select(i => $"kmsg:gpu-node-017:2026-11-25T10:{i / 60 % 60:00}:{i % 60:00}.{i:000000}Z");

    [Fact]
    public void It_remembers_the_newest_ids_up_to_the_limit_and_forgets_the_oldest()
    {
        var recent = Ids(0, 300).Aggregate(RecentEvents.None, (r, id) => r.Remember(id));

        Assert.Equal(NodeState.RememberedEventIds, recent.Count);
        Assert.All(Ids(300 - NodeState.RememberedEventIds, NodeState.RememberedEventIds), id => Assert.True(recent.Contains(id), id));
        Assert.All(Ids(0, 300 - NodeState.RememberedEventIds), id => Assert.False(recent.Contains(id), id));
        Assert.False(recent.Contains("kmsg:gpu-node-018:never-seen"));
    }

    [Fact]
    public void Remembering_a_flush_of_ids_at_once_is_remembering_them_one_by_one()
    {
        var once = RecentEvents.Of(Ids(0, 40)).Remember(Ids(40, 250).ToList());
        var oneByOne = Ids(0, 290).Aggregate(RecentEvents.None, (r, id) => r.Remember(id));

        Assert.Equal(oneByOne, once);
    }

    [Fact]
    public void An_older_state_keeps_what_it_remembered_after_newer_ones_remember_more()
    {
        var older = Ids(0, 100).Aggregate(RecentEvents.None, (r, id) => r.Remember(id));
        var newer = Ids(100, 400).Aggregate(older, (r, id) => r.Remember(id));

        Assert.Equal(100, older.Count);
        Assert.All(Ids(0, 100), id => Assert.True(older.Contains(id), id));
        Assert.All(Ids(100, 400), id => Assert.False(older.Contains(id), id));
        Assert.Equal(Ids(0, 500).Aggregate(RecentEvents.None, (r, id) => r.Remember(id)), newer);
    }

    [Fact]
    public void Two_states_grown_from_one_older_state_remember_each_its_own_ids()
    {
        var older = Ids(0, 10).Aggregate(RecentEvents.None, (r, id) => r.Remember(id));

        var left = older.Remember("kmsg:left");
        var right = older.Remember("kmsg:right");

        Assert.True(left.Contains("kmsg:left") && !left.Contains("kmsg:right"), "the first branch saw the second's id");
        Assert.True(right.Contains("kmsg:right") && !right.Contains("kmsg:left"), "the second branch wrote over the first's id");
        Assert.False(older.Contains("kmsg:left") || older.Contains("kmsg:right"), "the older state took a newer id");
        Assert.Equal(11, left.Count);
        Assert.Equal(11, right.Count);
    }

    [Fact]
    public void A_node_document_stays_small_however_many_faults_its_node_had()
    {
        var state = NodeState.New("gpu-node-017") with { RecentEventIds = RecentEvents.Of(Ids(0, 5000)) };

        var json = JsonSerializer.Serialize(state, Json);

        // 256 ids as written before were about 12 KB; as hashes, 2.7 KB of base64.
        Assert.InRange(json.Length, 1, 3500);
        var back = JsonSerializer.Deserialize<NodeState>(json, Json)!;
        Assert.Equal(state.RecentEventIds, back.RecentEventIds);
        Assert.True(back.RecentEventIds.Contains(Ids(4999, 1).Single()));
    }

    [Fact]
    public void A_document_written_before_reads_its_ids_as_remembered()
    {
        var older = JsonSerializer.Serialize(new { id = "gpu-node-017", status = "Healthy", version = 3, recentEventIds = Ids(0, 3), history = Array.Empty<object>() }, Json);

        var state = JsonSerializer.Deserialize<NodeState>(older, Json)!;

        Assert.Equal(3, state.RecentEventIds.Count);
        Assert.All(Ids(0, 3), id => Assert.True(state.RecentEventIds.Contains(id), id));
        Assert.Equal(RecentEvents.Of(Ids(0, 3)), state.RecentEventIds);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"AAAA\"")]
    public void Anything_else_is_refused_with_the_reason(string value)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RecentEvents>(value, Json));

        Assert.Contains("recent event", error.Message);
    }
}
