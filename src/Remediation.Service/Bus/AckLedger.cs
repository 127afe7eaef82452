using RabbitMQ.Client;

namespace Remediation.Service.Bus;

/// <summary>
/// Acknowledges deliveries of one channel once their decisions are committed. Deliveries settle out of order
/// (a coalesced repeat waits for its counted event), so the ledger acks everything below the oldest unsettled
/// delivery with one multiple-ack and the rest one by one.
/// </summary>
public sealed class AckLedger
{
    private readonly IChannel _channel;
    private readonly SortedSet<ulong> _outstanding = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    private long _epoch;

    public AckLedger(IChannel channel)
    {
        _channel = channel;
        channel.ChannelShutdownAsync += (_, _) =>
        {
            Reset();
            return Task.CompletedTask;
        };
    }

    public Delivery Received(ulong tag)
    {
        lock (_outstanding)
        {
            _outstanding.Add(tag);
            return new Delivery(this, tag, _epoch);
        }
    }

    public async Task SettleAsync(IEnumerable<Delivery> deliveries, CancellationToken ct)
    {
        ulong multipleUpTo = 0;
        var singles = new List<ulong>();
        lock (_outstanding)
        {
            // Tags from before a channel recovery name other messages on the new channel: never ack them.
            var tags = deliveries.Where(d => d.Epoch == _epoch).Select(d => d.Tag).ToList();
            if (tags.Count == 0) return;
            foreach (var tag in tags) _outstanding.Remove(tag);
            var oldestOpen = _outstanding.Count > 0 ? _outstanding.Min : ulong.MaxValue;
            foreach (var tag in tags)
                if (tag < oldestOpen) multipleUpTo = Math.Max(multipleUpTo, tag);
                else singles.Add(tag);
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (!_channel.IsOpen) return; // redelivered after recovery; the eventId dedupe absorbs the repeat
            if (multipleUpTo > 0) await _channel.BasicAckAsync(multipleUpTo, multiple: true, ct);
            foreach (var tag in singles) await _channel.BasicAckAsync(tag, multiple: false, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Hands deliveries back to the queue, each in its place, to be delivered again.</summary>
    public async Task RequeueAsync(IReadOnlyList<Delivery> deliveries, CancellationToken ct)
    {
        List<ulong> tags;
        lock (_outstanding)
        {
            tags = deliveries.Where(d => d.Epoch == _epoch).Select(d => d.Tag).ToList();
            foreach (var tag in tags) _outstanding.Remove(tag);
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (!_channel.IsOpen) return;
            foreach (var tag in tags) await _channel.BasicNackAsync(tag, multiple: false, requeue: true, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deliveries taken in and not yet settled: a partition handed back waits for these to commit.</summary>
    public int Outstanding
    {
        get
        {
            lock (_outstanding) return _outstanding.Count;
        }
    }

    /// <summary>A recovered channel starts its delivery tags again; the old ones can never be acked.</summary>
    private void Reset()
    {
        lock (_outstanding)
        {
            _outstanding.Clear();
            _epoch++;
        }
    }
}

public sealed record Delivery(AckLedger Ledger, ulong Tag, long Epoch);
