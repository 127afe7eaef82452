using Marten;

namespace Remediation.Service.Approvals.Slack;

/// <summary>Posts each approval to the configured channel and, when it settles, replaces its buttons with the outcome.</summary>
public sealed class SlackApprovalNotifier(SlackWebApi slack, SlackOptions options, IDocumentStore store, ILogger<SlackApprovalNotifier> log)
    : IApprovalNotifier
{
    public async Task RequestedAsync(ApprovalNotice notice, CancellationToken ct)
    {
        try
        {
            // After a restart the service announces every approval still waiting; one already in the channel stays as is.
            await using (var query = store.QuerySession())
                if (await query.LoadAsync<SlackApprovalMessage>(notice.ApprovalId, ct) is not null) return;
            var posted = await slack.PostMessageAsync(options.Channel!, ApprovalMessage.Text(notice), ApprovalMessage.Requested(notice, options.PageBaseUrl), ct);
            await using var session = store.LightweightSession();
            session.Store(new SlackApprovalMessage(notice.ApprovalId, posted.Channel, posted.Ts, notice));
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // An operator can still decide by CLI or HTTP; Slack being down must not hold up the node's remediation.
            log.LogError(e, "could not post approval {ApprovalId} for {NodeId} to Slack", notice.ApprovalId, notice.NodeId);
        }
    }

    public async Task SettledAsync(ApprovalVerdict verdict, CancellationToken ct)
    {
        try
        {
            await using var session = store.QuerySession();
            if (await session.LoadAsync<SlackApprovalMessage>(verdict.ApprovalId, ct) is not { } message)
            {
                log.LogWarning("approval {ApprovalId} settled but was never posted to Slack; nothing to update", verdict.ApprovalId);
                return;
            }
            await slack.UpdateAsync(new SlackMessageRef(message.Channel, message.Ts),
                ApprovalMessage.SettledText(message.Notice, verdict), ApprovalMessage.Settled(message.Notice, verdict, options.PageBaseUrl), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogError(e, "could not update the Slack message of approval {ApprovalId} ({Outcome})", verdict.ApprovalId, verdict.Outcome);
        }
    }
}
