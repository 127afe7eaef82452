using Remediation.Service.Bus;

namespace Remediation.Service.Partitions;

/// <summary>
/// Pairs each routed copy's publish sequence number with the delivery it was copied from, and settles the source
/// when the broker confirms the copy. Publishing without waiting for each confirm keeps routing at broker speed.
/// </summary>
internal sealed class ConfirmTracker(AckLedger source)
{
    private readonly SortedDictionary<ulong, Delivery> _waiting = [];

    public void Expect(ulong sequence, Delivery delivery)
    {
        lock (_waiting) _waiting[sequence] = delivery;
    }

    public async Task ConfirmedAsync(ulong sequence, bool multiple, CancellationToken ct)
    {
        var confirmed = Take(sequence, multiple);
        if (confirmed.Count > 0) await source.SettleAsync(confirmed, ct);
    }

    /// <summary>The broker could not take a copy: hand its source back to the queue, to be routed again.</summary>
    public async Task RefusedAsync(ulong sequence, bool multiple, CancellationToken ct)
    {
        var refused = Take(sequence, multiple);
        if (refused.Count > 0) await source.RequeueAsync(refused, ct);
    }

    public void Reset()
    {
        lock (_waiting) _waiting.Clear();
    }

    private List<Delivery> Take(ulong sequence, bool multiple)
    {
        lock (_waiting)
        {
            // A single confirm is a lookup: scanning thousands of waiting copies per confirm made routing quadratic.
            if (!multiple) return _waiting.Remove(sequence, out var one) ? [one] : [];
            var taken = _waiting.TakeWhile(w => w.Key <= sequence).ToList();
            foreach (var (key, _) in taken) _waiting.Remove(key);
            return taken.Select(t => t.Value).ToList();
        }
    }
}
