namespace Remediation.Service.Approvals;

/// <summary>
/// Tells people about approvals after the decision that caused them is committed (Slack, when configured).
/// Called off the decision loop: a slow or failing notifier delays no node.
/// </summary>
public interface IApprovalNotifier
{
    Task RequestedAsync(ApprovalNotice notice, CancellationToken ct);

    Task SettledAsync(ApprovalVerdict verdict, CancellationToken ct);
}
