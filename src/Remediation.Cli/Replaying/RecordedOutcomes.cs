using Remediation.Contracts;
using Remediation.Core.Nodes;

namespace Remediation.Cli.Replaying;

/// <summary>
/// The simulated world's answers, per action on one node. A replayed step gets the outcome the same action really had
/// on this node, in the order they happened, so a runbook change that hinges on a failure (a new onFailure, more
/// retries) shows its effect; "every step succeeds" would make failure handling invisible. An action the node never
/// ran is assumed to succeed after <see cref="AssumedDuration"/>, the optimistic case, and counted so the report can
/// say how much of the replay is assumption. A recorded timeout gets no answer, so the step's own deadline fires.
/// </summary>
public sealed class RecordedOutcomes(IReadOnlyDictionary<string, IReadOnlyList<RecordedOutcome>> byAction)
{
    public static readonly TimeSpan AssumedDuration = TimeSpan.FromSeconds(1);

    public static readonly RecordedOutcomes None = new(new Dictionary<string, IReadOnlyList<RecordedOutcome>>());

    public IReadOnlyDictionary<string, IReadOnlyList<RecordedOutcome>> ByAction { get; } = byAction;

    /// <summary>One run's view: each run takes the recorded outcomes from the start.</summary>
    public SimulatedAgent Agent() => new(ByAction.ToDictionary(a => a.Key, a => new Queue<RecordedOutcome>(a.Value)));
}

public sealed class SimulatedAgent(Dictionary<string, Queue<RecordedOutcome>> remaining)
{
    public int Assumed { get; private set; }

    /// <summary>When and with what the node answers a step dispatched at <paramref name="now"/>; null when it never does.</summary>
    public (DateTimeOffset At, StepCompleted Result)? Answer(string nodeId, PendingStep step, DateTimeOffset now)
    {
        if (!remaining.TryGetValue(step.Action, out var queue) || !queue.TryDequeue(out var recorded))
        {
            Assumed++;
            recorded = new RecordedOutcome(StepOutcomes.Succeeded, RecordedOutcomes.AssumedDuration, 0, "replay: assumed to succeed");
        }
        if (recorded.Outcome == StepOutcomes.TimedOut) return null;
        var at = now + recorded.Took;
        return (at, new StepCompleted(step.CommandId, nodeId, recorded.Outcome, recorded.ExitCode, recorded.Output, at));
    }
}
