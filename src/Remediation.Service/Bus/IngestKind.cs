using Remediation.Contracts;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Service.Bus;

/// <summary>
/// What one ingest queue carries: the exchange it is bound to, how its messages are checked and whose node they are,
/// what the decision loop makes of them, and where the bad ones are parked.
/// </summary>
public sealed record IngestKind<T>(
    string Queue, string Exchange, string Input, string InvalidQueue, Func<T, string?> Validate, Func<T, string> NodeOf, Func<T, NodeInput> ToInput)
    where T : class
{
    /// <summary>Parses and checks a body; the reason when it cannot be used.</summary>
    public bool TryRead(byte[] body, out T? message, out string? error) =>
        WireParser.TryParse(body, out message, out error) && (error = Validate(message!)) is null;
}

public static class IngestKinds
{
    public static readonly IngestKind<FaultDetected> Faults = new(BusTopology.FaultsQueue, Exchanges.Faults, BusTopology.FaultInput,
        Exchanges.InvalidFaultsQueue, FaultValidation.Validate, f => f.NodeId, f => new FaultInput(f));

    public static readonly IngestKind<StepCompleted> Results = new(BusTopology.ResultsQueue, Exchanges.StepResults, BusTopology.ResultInput,
        BusTopology.InvalidResultsQueue, FaultValidation.Validate, r => r.NodeId, r => new StepResultInput(r));
}
