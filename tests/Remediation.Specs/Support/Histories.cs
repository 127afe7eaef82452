namespace Remediation.Specs.Support;

/// <summary>Streams that leave a node at a known point of a runbook, written out event by event.</summary>
public static class Histories
{
    /// <summary>
    /// Xid 48 opened incident 1; reset-gpu attempt <paramref name="attempt"/> is in flight until T0+2m, behind a quarantine
    /// and the evidence collected when <paramref name="quarantined"/> (without, the node's stream predates quarantining runbooks).
    /// </summary>
    public static object[] ResetInFlight(int attempt = 1, bool quarantined = false) =>
    [
        .. XidOpened(48), Started("gpu-reset"),
        .. quarantined
            ? new object[]
            {
                QuarantineDispatched("gpu-reset", T0), Succeeded("gpu-reset", "quarantine-node"), new NodeQuarantined(Node, Incident(), "given", T0, "given"),
                new EvidenceCollected(Node, Incident(), [], null, null, T0, "given"),
            }
            : [],
        .. Enumerable.Range(1, attempt - 1).SelectMany(a => new object[]
        {
            Dispatched("gpu-reset", "reset-gpu", "gpu_reset", attempt: a), Failed("gpu-reset", "reset-gpu", "gpu_reset", a),
        }),
        Dispatched("gpu-reset", "reset-gpu", "gpu_reset", attempt: attempt),
    ];

    /// <summary>The reset worked; check-gpu is in flight until T0+5m.</summary>
    public static object[] ResetVerifying =>
    [
        .. ResetInFlight(), Succeeded("gpu-reset", "reset-gpu"),
        Dispatched("gpu-reset", "check-gpu", "gpu_health", index: 1, verification: true, timeoutMinutes: 5),
    ];

    public static object[] ResetResolved =>
    [
        .. ResetVerifying, Succeeded("gpu-reset", "check-gpu"),
        new VerificationPassed(Node, Incident(), Command("gpu-reset", "check-gpu"), T0, "given"), Resolved(),
    ];

    /// <summary>Both reset attempts failed, so driver-reload (the second runbook tried) is in flight.</summary>
    public static object[] ReloadInFlight =>
    [
        .. ResetInFlight(attempt: 2), Failed("gpu-reset", "reset-gpu", "gpu_reset", 2),
        Escalated("gpu-reset", "driver-reload"), Started("driver-reload"),
        Dispatched("driver-reload", "reload-driver", "driver_reload", timeoutMinutes: 5),
    ];

    /// <summary>Reload failed too; reboot, the third runbook tried, waits for its approval.</summary>
    public static object[] EscalatedRebootAwaitingApproval =>
    [
        .. ReloadInFlight, Failed("driver-reload", "reload-driver", "driver_reload"),
        Escalated("driver-reload", "reboot"), Started("reboot"), ApprovalAsked("reboot", "reboot-node", "reboot", runbooksTried: 3),
    ];

    public static object[] EscalatedRebootInFlight =>
    [
        .. EscalatedRebootAwaitingApproval, ApprovalGiven(runbooksTried: 3),
        Dispatched("reboot", "reboot-node", "reboot", timeoutMinutes: 15),
    ];

    /// <summary>Xid 79 on a healthy node: reboot is the first runbook tried and waits for its approval.</summary>
    public static object[] RebootAwaitingApproval =>
        [.. XidOpened(79), Started("reboot"), ApprovalAsked("reboot", "reboot-node", "reboot", runbooksTried: 1)];

    /// <summary>Xid 95: cordon-node attempt <paramref name="attempt"/> is in flight, approved by alice.</summary>
    public static object[] CordonInFlight(int attempt = 1) =>
    [
        .. XidOpened(95), Started("cordon-and-rma"), ApprovalAsked("cordon-and-rma", "cordon-node", "cordon", runbooksTried: 1),
        ApprovalGiven(runbooksTried: 1),
        .. Enumerable.Range(1, attempt - 1).SelectMany(a => new object[]
        {
            Dispatched("cordon-and-rma", "cordon-node", "cordon", attempt: a, timeoutMinutes: 10),
            Failed("cordon-and-rma", "cordon-node", "cordon", a),
        }),
        Dispatched("cordon-and-rma", "cordon-node", "cordon", attempt: attempt, timeoutMinutes: 10),
    ];

    /// <summary>Xid 95: the node is cordoned and its RMA ticket RMA-7 is open.</summary>
    public static object[] InRepair =>
    [
        .. CordonInFlight(), Succeeded("cordon-and-rma", "cordon-node"), new NodeCordoned(Node, Incident(), T0, "given"),
        Dispatched("cordon-and-rma", "open-ticket", "open_rma", index: 1, timeoutMinutes: 5),
        Succeeded("cordon-and-rma", "open-ticket"), new RmaRequested(Node, Incident(), Gpu, T0, "given", "ticket RMA-7"),
    ];
}
