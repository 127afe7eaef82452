using Remediation.Faults.Harness;

namespace Remediation.Faults.Checking;

/// <summary>
/// Did any step run twice? Agents dedupe by commandId, so a step runs twice only if the service issued it again
/// under a new commandId, or an agent ran a command whose decision was never committed. Both are counted.
/// </summary>
public sealed record ActionAccount(int Dispatched, int Executed, int DuplicatedDisruptive, int DuplicatedOther, int NeverCommitted, int NeverExecuted, int Redelivered)
{
    private static readonly HashSet<string> Disruptive = ["gpu_reset", "driver_reload", "reboot", "scheduler_reboot", "link_bounce", "cordon"];

    public static ActionAccount Of(StoreSnapshot store, RecordingFleet fleet)
    {
        var agentSteps = store.Dispatched.Where(d => fleet.Handles(d.Node) && d.Action is not ("cordon" or "uncordon" or "open_rma" or "scheduler_reboot")).ToList();
        var byCommand = store.Dispatched.Select(d => d.CommandId).ToHashSet();
        var extra = store.Dispatched
            .GroupBy(d => (d.Incident, d.Runbook, d.StepIndex, d.Attempt, d.Verification))
            .Select(g => (Action: g.First().Action, Extra: g.Select(d => d.CommandId).Distinct().Count() - 1))
            .Where(x => x.Extra > 0).ToList();
        return new ActionAccount(
            store.Dispatched.Count,
            fleet.Executed.Count,
            extra.Where(x => Disruptive.Contains(x.Action)).Sum(x => x.Extra),
            extra.Where(x => !Disruptive.Contains(x.Action)).Sum(x => x.Extra),
            fleet.Executed.Keys.Count(id => !byCommand.Contains(id)),
            agentSteps.Count(d => !fleet.Executed.ContainsKey(d.CommandId)),
            fleet.Deliveries.Values.Sum(n => n - 1));
    }
}
