namespace Remediation.Core.Nodes;

public static class NodeEventTypes
{
    public static readonly Type[] All =
    [
        typeof(FaultReported), typeof(FaultIgnored), typeof(FaultRepeated), typeof(IncidentOpened), typeof(RunbookStarted),
        typeof(StepDispatched), typeof(StepSucceeded), typeof(StepFailed), typeof(StepTimedOut), typeof(StepResultIgnored),
        typeof(ApprovalRequested), typeof(ApprovalGranted), typeof(ApprovalRejected), typeof(ApprovalExpired),
        typeof(VerificationPassed), typeof(VerificationFailed), typeof(RunbookEscalated), typeof(NodeCordoned), typeof(NodeQuarantined),
        typeof(RmaRequested), typeof(IncidentResolved), typeof(HandedToHuman), typeof(ActionDeferred), typeof(StepShadowed),
        typeof(ApprovalRefused), typeof(NodeHeld), typeof(NodeReleased), typeof(RmaClosed), typeof(NodeReturnedToService),
        typeof(AlertResolved), typeof(EvidenceCollected), typeof(NodeJoinedStorm), typeof(NodeLeftStorm),
    ];
}
