using System.Threading.Channels;
using Remediation.Core.Nodes;
using Remediation.Core.Runbooks;

namespace Remediation.Service.Approvals;

/// <summary>
/// Carries committed approval events to the notifiers (Slack) off the decision loop, so a slow chat API never
/// holds up a node. A notice lost in a crash is sent again at start-up for approvals still waiting.
/// </summary>
public sealed class ApprovalNotifications(
    IEnumerable<IApprovalNotifier> notifiers, RunbookSet runbooks, ILogger<ApprovalNotifications> logger)
    : BackgroundService
{
    // Bounded: a chat API that is down for hours must not grow the service without limit. What does not fit is
    // logged; approvals still waiting are announced again at start-up.
    private readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly IApprovalNotifier[] _notifiers = notifiers.ToArray();

    /// <summary>Picks the approval events out of a node's committed events, with the state they left the node in.</summary>
    public void Committed(NodeState after, IEnumerable<object> events)
    {
        if (_notifiers.Length == 0) return;
        foreach (var e in events)
        {
            object? item = e switch
            {
                ApprovalRequested r => Notice(r, after),
                ApprovalGranted g => new ApprovalVerdict(g.ApprovalId, g.NodeId, ApprovalOutcome.Granted, g.Approver, null, g.GrantedAt),
                ApprovalRejected j => new ApprovalVerdict(j.ApprovalId, j.NodeId, ApprovalOutcome.Rejected, j.Approver, j.Reason, j.RejectedAt),
                ApprovalExpired x => new ApprovalVerdict(x.ApprovalId, x.NodeId, ApprovalOutcome.Expired, null, null, x.ExpiredAt),
                _ => null,
            };
            if (item is not null && !_queue.Writer.TryWrite(item))
                logger.LogWarning("Approval notifications are backed up; not announcing {Item} for node {Node}", item.GetType().Name, after.Id);
        }
    }

    /// <summary>The notice for an approval a node is still waiting on, as after a restart.</summary>
    public void StillWaiting(NodeState state)
    {
        if (_notifiers.Length == 0 || state.Status != NodeStatus.AwaitingApproval
            || state.Incident is not { Approval: { Granted: false } approval, Runbook: { } runbook } incident) return;
        var step = runbooks[runbook].Steps[approval.StepIndex];
        _queue.Writer.TryWrite(Notice(new ApprovalRequested(state.Id, incident.Id, approval.ApprovalId, runbook, step.Name, step.Action,
            approval.StepIndex, state.UpdatedAt ?? approval.ExpiresAt, approval.ExpiresAt, "rule:renotify-on-start"), state));
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        await foreach (var item in _queue.Reader.ReadAllAsync(ct))
            foreach (var notifier in _notifiers)
            {
                try
                {
                    await (item is ApprovalNotice n ? notifier.RequestedAsync(n, ct) : notifier.SettledAsync((ApprovalVerdict)item, ct));
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    logger.LogError(e, "Approval notifier {Notifier} failed", notifier.GetType().Name);
                }
            }
    }

    private static ApprovalNotice Notice(ApprovalRequested r, NodeState after)
    {
        var incident = after.Incident;
        var fault = incident is null ? "unknown" : incident.Xid is { } xid ? $"Xid {xid} on {incident.Device}" : $"{incident.Kind} on {incident.Device}";
        var tried = incident is null ? [] : incident.RunbooksTried.Where(name => name != r.Runbook).ToList();
        if (incident is { FailedActions.Count: > 0 }) tried.Add($"failed so far: {string.Join(", ", incident.FailedActions)}");
        return new ApprovalNotice(r.ApprovalId, r.NodeId, r.IncidentId, r.Runbook, r.Step, r.Action, fault, incident?.Evidence, tried,
            r.RequestedAt, r.ExpiresAt);
    }
}
