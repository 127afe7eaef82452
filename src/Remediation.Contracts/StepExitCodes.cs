namespace Remediation.Contracts;

/// <summary>Exit codes of a <c>failed</c> StepCompleted that mean more than "it did not work".</summary>
public static class StepExitCodes
{
    /// <summary>
    /// The device is in use (GPU processes still run): the agent did nothing, and the step may be tried again once the
    /// work has left. A failure of the node it is not, so it never climbs the escalation ladder. EX_TEMPFAIL in sysexits.h.
    /// </summary>
    public const int InUse = 75;
}
