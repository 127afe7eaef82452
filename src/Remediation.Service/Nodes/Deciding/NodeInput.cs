using Remediation.Contracts;

namespace Remediation.Service.Nodes.Deciding;

/// <summary>Something that may change a node: a fault, a step result, the passing of time, or an operator.</summary>
public abstract record NodeInput(string NodeId);

public sealed record FaultInput(FaultDetected Fault) : NodeInput(Fault.NodeId);

public sealed record StepResultInput(StepCompleted Result) : NodeInput(Result.NodeId);

public sealed record ClockTick(string NodeId) : NodeInput(NodeId);

public sealed record OperatorDecision(string NodeId, string ApprovalId, bool Approve, string Operator, string? Reason)
    : NodeInput(NodeId);
