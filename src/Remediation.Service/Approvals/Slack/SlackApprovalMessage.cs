
namespace Remediation.Service.Approvals.Slack;

/// <summary>
/// Where an approval's Slack message is, so chat.update can find it when the approval settles, even after a restart.
/// The notice is kept so the updated message still says what was decided.
/// </summary>
public sealed record SlackApprovalMessage(string Id, string Channel, string Ts, ApprovalNotice Notice);
