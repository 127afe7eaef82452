using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;

namespace Remediation.Specs.Support;

/// <summary>Events as they stand in a node's stream, all at <see cref="Spec.T0"/>, to build the Given of a spec.</summary>
public static class Facts
{
    private const string Agent = $"agent:kmsg@{Node}";

    public static string Incident(int n = 1) => $"inc-{Node}-{n}";

    public static string Command(string runbook, string step, int attempt = 1, int incident = 1) =>
        CommandIds.For(Spec.Key, Node, Incident(incident), runbook, step, attempt);

    /// <summary>The id of the <paramref name="tries"/>-th try again of a step the agent found the node in use for.</summary>
    public static string WaitCommand(string runbook, string step, int tries, int attempt = 1) =>
        CommandIds.For(Spec.Key, Node, Incident(), runbook, step, attempt, $"-wait{tries}");

    /// <summary>The id the decider gives the approval for step <paramref name="index"/> of the n-th runbook tried.</summary>
    public static string ApprovalId(int runbooksTried, int index = 0, int incident = 1) =>
        $"apr-{Incident(incident)}-{runbooksTried}-{index}";

    public static string XidFingerprint(int xid) => $"xid:{xid}:{Gpu}";

    public static object[] XidOpened(int xid, int incident = 1, string eventId = "e-1") =>
    [
        new FaultReported(Node, eventId, FaultKinds.Xid, xid, Gpu, KernelLine(xid), XidFingerprint(xid), Incident(incident),
            "opened incident", T0, T0, Agent),
        new IncidentOpened(Node, Incident(incident), XidFingerprint(xid), FaultKinds.Xid, xid, Gpu, KernelLine(xid), false, null, T0, Agent),
    ];

    public static object[] FlapOpened(string eventId = "e-1") =>
    [
        new FaultReported(Node, eventId, FaultKinds.LinkFlap, null, Port, "flap", $"link_flap:-:{Port}", Incident(), "observing", T0, T0, Agent),
        new IncidentOpened(Node, Incident(), $"link_flap:-:{Port}", FaultKinds.LinkFlap, null, Port, "flap", true, T0.AddMinutes(10), T0, Agent),
    ];

    public static FaultReported FlapCounted(string eventId) =>
        new(Node, eventId, FaultKinds.LinkFlap, null, Port, "flap", $"link_flap:-:{Port}", Incident(), "observing", T0, T0, Agent);

    public static RunbookStarted Started(string runbook, int incident = 1) =>
        new(Node, Incident(incident), runbook, "given", T0, "rule:router");

    public static RunbookEscalated Escalated(string from, string to) =>
        new(Node, Incident(), from, to, "given", T0, $"runbook:{from}");

    public static StepDispatched Dispatched(
        string runbook, string step, string action, int index = 0, int attempt = 1, bool verification = false,
        int timeoutMinutes = 2, int incident = 1) =>
        new(Node, Incident(incident), Command(runbook, step, attempt, incident), runbook, step, action,
            new Dictionary<string, string>(), index, attempt, verification, T0.AddMinutes(timeoutMinutes), T0, $"runbook:{runbook}/{step}");

    /// <summary>The quarantine a runbook with one step dispatches before it (index: its step count + 2).</summary>
    public static StepDispatched QuarantineDispatched(string runbook, DateTimeOffset at, int incident = 1) =>
        new(Node, Incident(incident), Command(runbook, "quarantine-node", incident: incident), runbook, "quarantine-node", StepActions.Cordon,
            new Dictionary<string, string>(), 3, 1, false, at.AddMinutes(10), at, $"runbook:{runbook}/quarantine-node");

    public static StepSucceeded Succeeded(string runbook, string step, int attempt = 1, int incident = 1) =>
        new(Node, Incident(incident), Command(runbook, step, attempt, incident), step, 0, "ok", T0, $"agent@{Node}");

    public static StepFailed Failed(string runbook, string step, string action, int attempt = 1) =>
        new(Node, Incident(), Command(runbook, step, attempt), step, action, 1, "exit 1", T0, $"agent@{Node}");

    public static ApprovalRequested ApprovalAsked(string runbook, string step, string action, int runbooksTried, int index = 0) =>
        new(Node, Incident(), ApprovalId(runbooksTried, index), runbook, step, action, index, T0, T0.AddMinutes(30), $"runbook:{runbook}/{step}");

    public static ApprovalGranted ApprovalGiven(int runbooksTried, int index = 0, string by = "alice") =>
        new(Node, ApprovalId(runbooksTried, index), by, T0);

    public static IncidentResolved Resolved(int incident = 1) => new(Node, Incident(incident), "given", T0, "given");
}
