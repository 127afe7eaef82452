using Marten;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Storms;

namespace Remediation.Service.Pipeline;

public sealed partial class DecisionLoop
{
    private bool _stormMembersRead;
    private bool _stormsResumed;

    /// <summary>
    /// When a storm ends (no fault of its group within the window), each node it holds here gets a
    /// <see cref="StormOver"/> with the repeats the storm's tallies counted for it. On the first pass after a start the
    /// storms that still hold nodes are resumed under their ids (<see cref="StormWatch.Resume"/>), and those that ended
    /// while no instance watched are let go of a window later. The store, not this instance's memory, holds the
    /// members and the counts, so a restart or another instance's tallies lose nothing.
    /// </summary>
    private async Task LetGoOfEndedStormsAsync(List<Inbound> batch, DateTimeOffset now, CancellationToken ct)
    {
        if (storms.Ended(now).Count == 0 && _stormMembersRead) return;
        // Until this pass is through, the next one looks again, so a failed read forgets no ended storm.
        _stormMembersRead = false;
        await using var query = store.QuerySession();
        var held = await query.Query<NodeState>().Where(n => n.InStorm != null).ToListAsync(ct);
        if (!_stormsResumed)
        {
            storms.Resume(held.Select(n => n.InStorm!.StormId), now);
            _stormsResumed = true;
        }
        var members = held.Where(n => _schedule.Owns(n.Id) && !storms.IsOpen(n.InStorm!.StormId, now)).ToList();
        foreach (var storm in members.GroupBy(n => n.InStorm!.StormId))
        {
            var tallies = await log.ReadStreamAfterAsync(StormWatch.StreamOf(storm.Key), 0, ct);
            var absorbed = tallies.Select(e => e.Data).OfType<StormTallied>().SelectMany(t => t.Repeats)
                .GroupBy(r => r.NodeId).ToDictionary(g => g.Key, g => g.Sum(r => (long)r.Count));
            batch.AddRange(storm.Select(n => new Inbound(new StormOver(n.Id, storm.Key, absorbed.GetValueOrDefault(n.Id))) { ReceivedAt = now }));
            // Read again from the stream should a repeat of it still come to be counted.
            tallied.Forget(storm.Key);
            logger.LogInformation("Storm {Storm} ended: letting go of {Count} nodes", storm.Key, storm.Count());
        }
        _stormMembersRead = true;
    }

    /// <summary>
    /// Before a flush counts repeats into the storms holding their nodes, what those storms' tallies committed since
    /// last read (here, or by the instance that held a node before): a repeat delivered again after its tally
    /// committed is then recognised and settled, not counted twice.
    /// </summary>
    private async Task ReadTalliesAsync(IEnumerable<FaultRepeated> repeats, IReadOnlyDictionary<string, NodeWork> work, CancellationToken ct)
    {
        var holding = repeats.Select(r => work[r.NodeId].State.InStorm?.StormId).OfType<string>().Distinct().ToList();
        if (holding.Count == 0) return;
        foreach (var storm in holding)
        {
            var events = await log.ReadStreamAfterAsync(StormWatch.StreamOf(storm), tallied.ReadUpTo(storm), ct);
            tallied.Read(storm, events.Where(e => e.Data is StormTallied).Select(e => (e.Version, (StormTallied)e.Data)));
        }
    }

    /// <summary>Storms any instance called since the last read, so a driver bug counted elsewhere holds these nodes too.</summary>
    private async Task ReadStormsAsync(CancellationToken ct)
    {
        var called = await log.ReadStreamAfterAsync(StormWatch.StreamKey, _stormsRead, ct);
        foreach (var e in called)
        {
            if (e.Data is StormDetected storm) storms.Adopt(storm);
            _stormsRead = e.Version;
        }
    }
}
