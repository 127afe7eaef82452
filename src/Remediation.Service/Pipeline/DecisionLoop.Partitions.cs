using System.Collections.Concurrent;
using Marten;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Partitions;

namespace Remediation.Service.Pipeline;

/// <summary>
/// The partitions this loop holds. It caches, watches deadlines of and re-dispatches steps for its own nodes only.
/// An input for another instance's node (an operator's click that reached this instance) is still decided and
/// committed here, safely, because the node's stream takes a write only at the version it was decided from; then the
/// holder is nudged through the node's partition queue to reload the node, so its deadlines stay right.
/// </summary>
public sealed partial class DecisionLoop : IPartitionNodes
{
    private readonly ConcurrentQueue<(IReadOnlyList<int> Partitions, bool Acquire, TaskCompletionSource Done)> _control = new();
    private readonly List<string> _nudges = [];

    /// <summary>Starts watching the partitions' nodes: loads those with open work and re-dispatches their steps in flight.</summary>
    public Task AcquireAsync(IReadOnlyList<int> partitions, CancellationToken ct) => ControlAsync(partitions, acquire: true, ct);

    /// <summary>Forgets the partitions' nodes; their new holder loads them from the store.</summary>
    public Task ReleaseAsync(IReadOnlyList<int> partitions, CancellationToken ct) => ControlAsync(partitions, acquire: false, ct);

    private async Task ControlAsync(IReadOnlyList<int> partitions, bool acquire, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _control.Enqueue((partitions, acquire, done));
        await done.Task.WaitAsync(ct);
    }

    /// <summary>Runs on the loop, between batches, so no batch ever sees a partition half taken or half handed back.</summary>
    private async Task ApplyControlAsync(CancellationToken ct)
    {
        while (_control.TryDequeue(out var change))
        {
            try
            {
                var partitions = change.Partitions.ToHashSet();
                if (change.Acquire) await ResumeAsync(partitions, ct);
                else Forget(partitions);
                change.Done.TrySetResult();
            }
            catch (Exception e)
            {
                change.Done.TrySetException(e);
            }
        }
    }

    private void Forget(HashSet<int> partitions)
    {
        var released = _schedule.LetGo(partitions);
        foreach (var id in _nodes.Keys.Where(released).ToList()) _nodes.Remove(id);
        _coalescer.Forget(released);
    }

    /// <summary>
    /// Loads every node of the partitions that is not idle, so its deadlines run again, and publishes the steps that
    /// were committed but may never have reached their agent (after a crash, or with the last holder). Agents dedupe
    /// by commandId.
    /// </summary>
    private async Task ResumeAsync(HashSet<int> partitions, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var active = (await query.Query<NodeState>().Where(n => n.Status != NodeStatus.Healthy).ToListAsync(ct))
            .Where(n => partitions.Contains(partitionMap.Of(n.Id))).ToList();
        _schedule.Take(partitions);
        var redispatched = 0;
        foreach (var state in active)
        {
            _nodes[state.Id] = state;
            approvals.StillWaiting(state);
            _schedule.Watch(state, WaitingToBeSent(state));
            if (state.Incident is not { Pending: { } p } incident) continue;
            _undelivered.Add(new StepDispatched(state.Id, incident.Id, p.CommandId, incident.Runbook ?? "", p.Step, p.Action,
                p.Args, p.StepIndex, p.Attempt, p.Verification, p.Deadline, state.UpdatedAt ?? clock.GetUtcNow(), "rule:redispatch-on-start"));
            redispatched++;
        }
        if (active.Count > 0)
            logger.LogInformation("Took over {Count} nodes with open work in partitions {Partitions}; re-publishing {Steps} steps in flight",
                active.Count, string.Join(",", partitions.Order()), redispatched);
    }
}
