using Remediation.Faults.Reporting;

namespace Remediation.Faults.Checking;

/// <summary>
/// Turns the accounts into a row. Lost: faults not in any stream, plus committed steps no agent ever ran.
/// Duplicated actions: steps issued again under a new commandId, commands run without a committed decision, and
/// faults recorded twice. Repeats counted twice and runbooks that never finished fail the row too, with a note.
/// </summary>
public static class Verdict
{
    public static ScenarioResult Of(
        string scenario, long messagesIn, StoreSnapshot store, FaultAccount faults, ActionAccount? actions, long busyNodes,
        double? recoverySeconds, List<string> notes)
    {
        var lost = faults.Lost + (actions?.NeverExecuted ?? 0);
        var duplicated = faults.RecordedTwice + (actions is null ? 0 : actions.DuplicatedDisruptive + actions.DuplicatedOther + actions.NeverCommitted);
        notes.Insert(0, $"{faults.Published} distinct faults published; {store.Reported.Count} reported, {store.Ignored.Count} ignored as repeats of an eventId, "
            + $"{store.Repeated.Values.Sum()} counted as coalesced repeats");
        if (actions is not null)
            notes.Insert(1, $"{actions.Dispatched} steps dispatched, {actions.Executed} run by agents, {actions.Redelivered} command redeliveries absorbed by the agents' commandId dedupe, "
                + $"{store.ResultsIgnored} step results ignored");
        if (faults.Overcounted > 0) notes.Add($"FAIL: {faults.Overcounted} repeats counted more often than they were published");
        if (busyNodes > 0) notes.Add($"FAIL: {busyNodes} nodes still have an open incident (runbooks that never ended)");
        if (actions is { NeverCommitted: > 0 }) notes.Add($"FAIL: agents ran {actions.NeverCommitted} commands that no committed StepDispatched names");
        if (actions is { DuplicatedOther: > 0 }) notes.Add($"FAIL: {actions.DuplicatedOther} non-disruptive steps issued twice");
        var results = store.Results.Values.Count(n => n > 1);
        if (results > 0) notes.Add($"FAIL: {results} commandIds have more than one recorded result");
        return new ScenarioResult(scenario, messagesIn, store.TotalEvents, lost, duplicated, recoverySeconds, notes)
        {
            Passed = lost == 0 && duplicated == 0 && faults.Overcounted == 0 && busyNodes == 0 && results == 0,
        };
    }
}
