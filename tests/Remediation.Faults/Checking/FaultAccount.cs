using Remediation.Contracts;

namespace Remediation.Faults.Checking;

/// <summary>
/// Matches what was published against what the streams hold. A fault with its own fingerprint is checked by eventId:
/// it must be in a FaultReported (or a FaultIgnored). Repeats of one fingerprint are coalesced into counted
/// FaultRepeated events that name the eventIds they counted (up to 256 each); a named id counted or reported more than
/// once is overcounted, and the unnamed rest is checked per (node, fingerprint) against what was published.
/// </summary>
public sealed record FaultAccount(int Published, int Lost, int RecordedTwice, int Overcounted)
{
    public static FaultAccount Of(IReadOnlyCollection<FaultDetected> published, StoreSnapshot store)
    {
        int lost = 0, twice = 0, over = 0;
        foreach (var group in published.DistinctBy(f => f.EventId).GroupBy(f => (f.NodeId, Fingerprint(f))))
        {
            var ids = group.Select(f => f.EventId).ToList();
            twice += ids.Sum(id => Math.Max(0, store.Reported.GetValueOrDefault(id) - 1));
            var accounted = ids.Count(id => store.Reported.ContainsKey(id) || store.RepeatedIds.ContainsKey(id) || store.Ignored.Contains(id))
                + store.Repeated.GetValueOrDefault(group.Key);
            lost += Math.Max(0, ids.Count - accounted);
            over += Math.Max(0, accounted - ids.Count)
                + ids.Sum(id => Math.Max(0, store.RepeatedIds.GetValueOrDefault(id) + Math.Min(1, store.Reported.GetValueOrDefault(id)) - 1));
        }
        return new FaultAccount(published.Select(f => f.EventId).Distinct().Count(), lost, twice, over);
    }

    // The service's fingerprint (NodeDecider.Fingerprint): the same fault on the same device.
    public static string Fingerprint(FaultDetected f) => $"{f.Kind}:{f.Xid?.ToString() ?? "-"}:{f.Device ?? "-"}";
}
