using Remediation.Contracts;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;

namespace Remediation.Cli.Replaying;

/// <summary>One decision of a replay: the fault that caused it (null for a result or a tick) and what it produced.</summary>
public sealed record Replayed(string? FaultEventId, IReadOnlyList<object> Events, bool Coalesced);

public sealed record ReplayedNode(string NodeId, IReadOnlyList<Replayed> Decisions, NodeState Final, int AssumedOutcomes, string? Note);

/// <summary>
/// Runs one node's recorded faults through a decider on a virtual clock: the clock jumps to each fault's decision
/// time, the simulated agent's answers and the node's deadlines (step timeouts, approval expiry, observation windows)
/// are decided at their own moments in between, and after the last fault the node runs until nothing is left waiting.
/// Nothing is executed or written. Risky steps are approved at once (as with Decider:AutoApprove), so the replay
/// shows how far the runbooks would go; the approvals they ask for are still listed.
/// </summary>
public sealed class NodeReplay(RunbookSet runbooks, DeciderOptions options)
{
    private const int MaxInputs = 100_000;
    private readonly NodeDecider _decider = new(runbooks, options with { AutoApprove = true, Shadow = false });

    public ReplayedNode Run(NodeHistory history, DateTimeOffset since)
    {
        var (state, note) = Usable(history.Start);
        var agent = history.Outcomes.Agent();
        var decisions = new List<Replayed>();
        (DateTimeOffset At, StepCompleted Result)? answer = null;
        string? answered = null;
        DateTimeOffset? idleDeadline = null;
        var clock = since;
        var next = 0;
        for (var inputs = 0; inputs < MaxInputs; inputs++)
        {
            var fault = next < history.Faults.Count ? history.Faults[next] : null;
            var waiting = NodeDecider.NextDeadline(state) is { } d && d != idleDeadline ? d : (DateTimeOffset?)null;
            var deadline = waiting is { } w ? Later(w, clock) : (DateTimeOffset?)null;
            // On a tie the agent's answer goes first (it was already on its way), then time, then the new fault.
            if (answer is { } a && !(fault?.At < a.At) && !(deadline < a.At))
            {
                answer = null;
                Decide(new StepResultInput(a.Result), a.At, null);
            }
            else if (deadline is { } due && !(fault?.At < due))
            {
                // A deadline the decider has nothing to do at is not asked again, or the loop would spin on it.
                if (Decide(new ClockTick(history.NodeId), due, null) == 0) idleDeadline = waiting;
            }
            else if (fault is not null)
            {
                next++;
                Decide(new FaultInput(fault.Fault), Later(fault.At, clock), fault.Fault.EventId);
            }
            else break;
        }
        return new ReplayedNode(history.NodeId, decisions, state, agent.Assumed, note);

        int Decide(NodeInput input, DateTimeOffset now, string? faultEventId)
        {
            clock = now;
            var decision = _decider.Decide(state, input, now);
            state = decision.State;
            decisions.Add(new Replayed(faultEventId, decision.Events, decision.CoalescedFingerprint is not null));
            if (state.Incident?.Pending is not { } pending) answer = null;
            else if (pending.CommandId != answered)
            {
                answered = pending.CommandId;
                answer = agent.Answer(state.Id, pending, now);
            }
            return decision.Events.Count;
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    // An incident open at the start may be running a runbook the replayed set no longer has; the replay cannot
    // continue it, so that node starts the replay without it.
    private (NodeState State, string? Note) Usable(NodeState start) =>
        start.Incident?.Runbook is { } name && runbooks.All.All(r => r.Name != name)
            ? (start with { Incident = null, Status = NodeStatus.Healthy },
                $"incident {start.Incident.Id} was running {name}, which this runbook set lacks: replayed without it")
            : (start, null);
}
