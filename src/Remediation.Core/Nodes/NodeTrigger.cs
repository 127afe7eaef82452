namespace Remediation.Core.Nodes;

public enum NodeTrigger
{
    Observe,
    StartRunbook,
    RequestApproval,
    GrantApproval,
    Verify,
    FailVerification,
    Cordon,
    RequestRma,
    Resolve,
    HandOver,
    Hold,
    Release,
    CloseRma,
}
