using Marten;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Storms;

namespace Remediation.Service.Pipeline;

public sealed partial class DecisionLoop
{
    private bool _stormMembersRead;

    /// <summary>
    /// When a storm ends (no fault of its group within the window), each node it holds here gets a
    /// <see cref="StormOver"/> with the repeats the storm's tallies counted for it. On the first pass after a start it
    /// also lets go of nodes held by storms that ended while no instance watched. The store, not this instance's
    /// memory, holds both the members and the counts, so a restart or another instance's tallies lose nothing.
    /// </summary>
    private async Task LetGoOfEndedStormsAsync(List<Inbound> batch, DateTimeOffset now, CancellationToken ct)
    {
        if (storms.Ended(now).Count == 0 && _stormMembersRead) return;
        // Until this pass is through, the next one looks again, so a failed read forgets no ended storm.
        _stormMembersRead = false;
        await using var query = store.QuerySession();
        var members = (await query.Query<NodeState>().Where(n => n.InStorm != null).ToListAsync(ct))
            .Where(n => Owns(n.Id) && !storms.IsOpen(n.InStorm!.StormId, now)).ToList();
        foreach (var storm in members.GroupBy(n => n.InStorm!.StormId))
        {
            var tallies = await query.Events.FetchStreamAsync(StormWatch.StreamOf(storm.Key), token: ct);
            var absorbed = tallies.Select(e => e.Data).OfType<StormTallied>().SelectMany(t => t.Repeats)
                .GroupBy(r => r.NodeId).ToDictionary(g => g.Key, g => g.Sum(r => (long)r.Count));
            batch.AddRange(storm.Select(n => new Inbound(new StormOver(n.Id, storm.Key, absorbed.GetValueOrDefault(n.Id))) { ReceivedAt = now }));
            logger.LogInformation("Storm {Storm} ended: letting go of {Count} nodes", storm.Key, storm.Count());
        }
        _stormMembersRead = true;
    }
}
