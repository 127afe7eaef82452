using Remediation.Contracts;

namespace Remediation.Core.Nodes.Deciding;

/// <summary>Something that may change a node: a fault, a step result, the passing of time, or an operator.</summary>
public abstract record NodeInput(string NodeId);

public sealed record FaultInput(FaultDetected Fault) : NodeInput(Fault.NodeId);

public sealed record StepResultInput(StepCompleted Result) : NodeInput(Result.NodeId);

/// <summary>
/// Time passed. <paramref name="StepDue"/> is when the step in flight times out, counted from when its command was
/// actually sent (the loop knows, the stream does not); without it the step's recorded deadline counts.
/// </summary>
public sealed record ClockTick(string NodeId, DateTimeOffset? StepDue = null) : NodeInput(NodeId);

public sealed record OperatorDecision(string NodeId, string ApprovalId, bool Approve, string Operator, string? Reason)
    : NodeInput(NodeId);

/// <summary>Someone who may not decide approvals tried to; recorded so the attempt is in the audit trail.</summary>
public sealed record ApproverRefused(string NodeId, string ApprovalId, string Who, string Reason) : NodeInput(NodeId);

/// <summary>An Alertmanager alert about the node resolved.</summary>
public sealed record AlertResolvedInput(string NodeId, string AlertName, string? Fingerprint, DateTimeOffset StartsAt, DateTimeOffset EndsAt)
    : NodeInput(NodeId);

/// <summary>The RMA ticket of a node InRepair was closed: the node comes back once it verifies healthy.</summary>
public sealed record RmaTicketClosed(string NodeId, string ClosedBy, string Resolution) : NodeInput(NodeId);

/// <summary>An operator takes the node away from automation (<c>hold</c>) or hands it back (<c>release</c>).</summary>
public sealed record OperatorHold(string NodeId, bool Hold, string Operator, string Reason) : NodeInput(NodeId);

/// <summary>
/// The storm holding the node ended: let go of it, with the identical repeats the storm's tallies counted for it.
/// </summary>
public sealed record StormOver(string NodeId, string StormId, long Absorbed) : NodeInput(NodeId);
