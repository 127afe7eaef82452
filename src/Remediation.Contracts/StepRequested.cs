namespace Remediation.Contracts;

/// <summary>The service asks a node's agent to run one runbook step. Routed by node id on <see cref="Exchanges.Commands"/>.</summary>
public sealed record StepRequested(
    string CommandId,
    string NodeId,
    string IncidentId,
    string Runbook,
    string Step,
    string Action,
    IReadOnlyDictionary<string, string> Args,
    DateTimeOffset Deadline);
