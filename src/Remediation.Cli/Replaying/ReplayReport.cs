namespace Remediation.Cli.Replaying;

/// <summary>Prints, per node and fault, where the changed runbooks decide differently from the baseline, then a summary line.</summary>
public sealed class ReplayReport(TextWriter output)
{
    private int _faults, _incidentsBefore, _incidentsAfter, _differ, _finalDiffer, _assumed;

    public int Differences => _differ + _finalDiffer;

    public async Task NodeAsync(NodeHistory history, ReplayedNode baseline, ReplayedNode changed)
    {
        var before = FaultOutcomes.Of(baseline);
        var after = FaultOutcomes.Of(changed);
        _faults += history.Faults.Count;
        _incidentsBefore += before.Incidents;
        _incidentsAfter += after.Incidents;
        _assumed += baseline.AssumedOutcomes + changed.AssumedOutcomes;
        foreach (var note in new[] { baseline.Note, changed.Note }.OfType<string>().Distinct())
            await output.WriteLineAsync($"{history.NodeId}  note: {note}");
        foreach (var recorded in history.Faults)
        {
            var id = recorded.Fault.EventId;
            string was = before.ByFault.GetValueOrDefault(id, "not decided"), would = after.ByFault.GetValueOrDefault(id, "not decided");
            if (was == would) continue;
            _differ++;
            var f = recorded.Fault;
            var what = f.Xid is { } xid ? $"Xid {xid}" : f.Kind;
            await output.WriteLineAsync($"{history.NodeId}  {what} on {f.Device ?? "-"} at {recorded.At:yyyy-MM-ddTHH:mm:ss.fffZ} (eventId {id})");
            await output.WriteLineAsync($"  - baseline: {was}");
            await output.WriteLineAsync($"  + changed:  {would}");
        }
        if (baseline.Final.Status != changed.Final.Status)
        {
            _finalDiffer++;
            await output.WriteLineAsync($"{history.NodeId}  final state: {baseline.Final.Status} with the baseline, {changed.Final.Status} with the changed runbooks");
        }
    }

    public async Task SummaryAsync(int nodes, int repeatsNotReplayed)
    {
        if (Differences == 0) await output.WriteLineAsync("no differences: the changed runbooks decide every replayed fault as the baseline does");
        var assumed = _assumed > 0 ? $"; {_assumed} step result(s) assumed successful (no recorded outcome of that action on the node)" : "";
        var repeats = repeatsNotReplayed > 0 ? $"; {repeatsNotReplayed} counted repeat(s) not replayed" : "";
        await output.WriteLineAsync(
            $"replay: {_faults} faults replayed on {nodes} nodes, {_incidentsBefore} incidents with the baseline and {_incidentsAfter} " +
            $"with the changed runbooks, {_differ} decisions differ, {_finalDiffer} final states differ{assumed}{repeats}");
    }
}
