
namespace Remediation.Service.Approvals.Slack;

/// <summary>
/// Turns clicks into decisions at the approval desk, one at a time in arrival order. Refusals and clicks that change
/// nothing are answered only to the clicker; a decision that lands is shown by the notifier's chat.update.
/// </summary>
public sealed class SlackInteractionWorker(
    SlackInteractionQueue queue, SlackOptions options, SlackWebApi slack, IServiceScopeFactory scopes, ILogger<SlackInteractionWorker> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var click in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await HandleAsync(click, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogError(e, "Slack click by {Operator} on approval {ApprovalId} failed", click.Operator, click.ApprovalId);
                await ReplyAsync(click, $"Your decision on approval `{click.ApprovalId}` could not be recorded ({e.Message}). "
                    + "Try again, or use `remediation approve|reject`.", stoppingToken);
            }
        }
    }

    private async Task HandleAsync(SlackInteraction click, CancellationToken ct)
    {
        // The desk may be scoped to a Marten session, so each click gets its own scope.
        await using var scope = scopes.CreateAsyncScope();
        var desk = scope.ServiceProvider.GetRequiredService<IApprovalDesk>();
        if (!options.MayDecide(click.UserId))
        {
            log.LogWarning("{Operator} may not decide approvals; refused {ApprovalId}", click.Operator, click.ApprovalId);
            await ReplyAsync(click, "You are not on this service's list of approvers, so nothing was changed.", ct);
            await desk.RecordRefusalAsync(click.ApprovalId, click.Operator, "not in Slack:ApproverIds", ct);
            return;
        }
        var command = new ApprovalCommand(click.ApprovalId, click.Approve, click.Operator, click.Approve ? null : "rejected in Slack", "slack");
        var answer = await desk.DecideAsync(command, ct);
        log.LogInformation("{Operator} {Decision} approval {ApprovalId}: {Answer}", click.Operator,
            click.Approve ? "approved" : "rejected", click.ApprovalId, answer.Kind);
        if (answer.Kind == ApprovalAnswerKind.Decided) return;
        await ReplyAsync(click, answer.Kind == ApprovalAnswerKind.NotWaiting
            ? $"Nothing changed: approval `{click.ApprovalId}` was already decided or has expired. {answer.Message}"
            : $"Nothing changed: there is no approval `{click.ApprovalId}`. {answer.Message}", ct);
    }

    private async Task ReplyAsync(SlackInteraction click, string text, CancellationToken ct)
    {
        if (click.ResponseUrl is null) return;
        try
        {
            await slack.RespondEphemeralAsync(click.ResponseUrl, text, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "could not answer {Operator} in Slack about approval {ApprovalId}", click.Operator, click.ApprovalId);
        }
    }
}
