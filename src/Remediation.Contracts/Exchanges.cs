namespace Remediation.Contracts;

/// <summary>Broker names fixed by the design brief; agents in other languages hard-code them too.</summary>
public static class Exchanges
{
    public const string Faults = "remediation.faults";
    public const string Commands = "remediation.commands";
    public const string StepResults = "remediation.step-results";
    public const string InvalidFaultsQueue = "remediation.faults.invalid";

    /// <summary>
    /// Where the service parks what it cannot use (direct, routing key = the invalid queue's name). Not the default
    /// exchange: a broker user limited to <c>^remediation\.</c> may not write to <c>amq.default</c>.
    /// </summary>
    public const string Invalid = "remediation.invalid";
    public const string InvalidReasonHeader = "x-invalid-reason";
}
