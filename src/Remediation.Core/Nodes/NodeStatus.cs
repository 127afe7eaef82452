namespace Remediation.Core.Nodes;

public enum NodeStatus
{
    Healthy,
    Observing,
    Remediating,
    AwaitingApproval,
    Verifying,
    Cordoned,
    InRepair,
    NeedsHuman,
}
