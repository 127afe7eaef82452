using Remediation.Contracts;
using Remediation.Core.Nodes;

namespace Remediation.Cli.Replaying;

/// <summary>
/// What the store says happened to one node since the replay's start: its state then, the faults that were decided
/// one by one, and what the node's steps answered.
/// </summary>
public sealed record NodeHistory(
    string NodeId, NodeState Start, IReadOnlyList<RecordedFault> Faults, RecordedOutcomes Outcomes, int RepeatsNotReplayed);

/// <summary>A fault as it arrived, and the moment the service decided it: the replay's clock stands there.</summary>
public sealed record RecordedFault(FaultDetected Fault, DateTimeOffset At);

/// <summary>How a step ended on the node, and how long after its dispatch.</summary>
public sealed record RecordedOutcome(string Outcome, TimeSpan Took, int? ExitCode, string? Output);
