namespace Remediation.Contracts;

/// <summary>Broker names fixed by the design brief; agents in other languages hard-code them too.</summary>
public static class Exchanges
{
    public const string Faults = "remediation.faults";
    public const string Commands = "remediation.commands";
    public const string StepResults = "remediation.step-results";
    /// <summary>The service's ingest queue for faults; simulators declare it too, so faults sent before the service starts wait.</summary>
    public const string FaultsIngestQueue = "remediation.faults.ingest";
    public const string InvalidFaultsQueue = "remediation.faults.invalid";
    public const string InvalidReasonHeader = "x-invalid-reason";
}
