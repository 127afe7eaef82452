using System.Diagnostics;
using Remediation.Service.Hosting;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// One channel's acknowledgements, sent a run at a time. MassTransit acknowledges each delivery with a frame of its own
/// and the broker's queue takes them one at a time: in a drain the broker was the largest user of the two cores, and
/// RabbitMQ.Client alone consumed 1.8 times as fast acking a thousand at once as acking each. Here an acknowledgement is
/// owed, and every owed delivery below the oldest one still consuming goes in one <c>multiple</c> ack at the highest of
/// them. A delivery held long (a repeat counted until the next flush) holds back the run behind it, and those acks still
/// count against the prefetch: the decision loop flushes early when they pile up (<see cref="OwedAcks"/>), and should it
/// not, the owed ones go one by one, as before, once they fill three quarters of the channel's prefetch or the oldest of them has
/// waited <see cref="Stranded"/>. An acknowledgement completes only once its frame is written, so a consume still ends after
/// its ack and a stopping endpoint still waits for every ack it owes. <paramref name="write"/> says whether the frame went:
/// an ack the lost connection cannot carry is dropped (the broker delivers the message again), and only those written
/// are counted (<paramref name="written"/>: frames and deliveries, <see cref="RemediationMetrics.AckWritten"/> unless given).
/// </summary>
internal sealed class BatchedAcks(Func<ulong, bool, ValueTask<bool>> write, OwedAcks owedAcks, int prefetch, Action<bool, int>? written = null)
{
    private readonly Action<bool, int> _written = written ?? RemediationMetrics.AckWritten;

    /// <summary>How long acks gather before a run goes: a commit settles its batch's deliveries within about this.</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(5);

    /// <summary>How long an ack may be held back by an older delivery still unacknowledged.</summary>
    internal static readonly TimeSpan Stranded = TimeSpan.FromSeconds(1);

    /// <summary>How often the sender looks again while the oldest delivery holds back acks owed above it.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    private readonly Lock _lock = new();
    private readonly Queue<ulong> _order = new();
    private readonly Dictionary<ulong, Entry> _entries = [];
    private readonly Queue<(ulong Tag, long At)> _owedOrder = new();
    private int _owed;
    private bool _sending;

    /// <summary>Called, in order, as each delivery reaches the consumer.</summary>
    public void Delivered(ulong tag)
    {
        lock (_lock)
        {
            _order.Enqueue(tag);
            _entries[tag] = new Entry();
        }
    }

    /// <summary>Completes once the delivery's acknowledgement is written; faults when it could not be.</summary>
    public Task AckAsync(ulong tag)
    {
        var entry = new Entry { State = State.Owed, Written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        bool alone, send = false;
        lock (_lock)
        {
            alone = !(_entries.TryGetValue(tag, out var consuming) && consuming.State == State.Consuming);
            if (!alone)
            {
                _entries[tag] = entry;
                _owedOrder.Enqueue((tag, Stopwatch.GetTimestamp()));
                _owed++;
                owedAcks.Add(1);
                send = !_sending;
                _sending = true;
            }
        }
        // A delivery this channel never saw consuming is acknowledged alone, at once, outside the runs.
        if (alone) _ = WriteAsync(tag, multiple: false, [entry]);
        else if (send) _ = SendAsync();
        return entry.Written.Task;
    }

    /// <summary>Gives a delivery back through <paramref name="nack"/>; a run sent after it no longer covers it.</summary>
    public async Task NackAsync(ulong tag, Func<Task> nack)
    {
        try
        {
            await nack();
        }
        finally
        {
            // Only once the nack is written may a run pass the delivery: a run sent first would acknowledge it.
            lock (_lock)
                if (_entries.TryGetValue(tag, out var entry) && entry.State == State.Consuming) entry.State = State.Settled;
        }
    }

    /// <summary>
    /// The one sender while acks are owed. It stops only once everything it took is written: a second sender starting
    /// while the first still writes could acknowledge past a tag the first has yet to write, which the broker then
    /// refuses as unknown and closes the channel.
    /// </summary>
    private async Task SendAsync()
    {
        await Task.Delay(Gather);
        while (true)
        {
            var (upTo, run, single, wait) = Next();
            if (run.Count > 0) await WriteAsync(upTo, multiple: true, run);
            foreach (var (tag, entry) in single) await WriteAsync(tag, multiple: false, [entry]);
            if (wait is { } w)
            {
                if (w > TimeSpan.Zero) await Task.Delay(w);
                continue;
            }
            lock (_lock)
                if (_owed == 0)
                {
                    _sending = false;
                    return;
                }
            await Task.Delay(Gather);
        }
    }

    /// <summary>
    /// What to write now: the run of settled deliveries at the head, and the owed ones behind it once they have been held
    /// back too long or too many; then how long to wait before looking again, or null when nothing is left owed.
    /// </summary>
    private (ulong UpTo, List<Entry> Run, List<(ulong, Entry)> Single, TimeSpan? Wait) Next()
    {
        ulong upTo = 0;
        List<Entry> run = [];
        List<(ulong, Entry)> single = [];
        lock (_lock)
        {
            while (_order.TryPeek(out var head) && _entries[head].State != State.Consuming)
            {
                _order.Dequeue();
                _entries.Remove(head, out var entry);
                if (entry!.State != State.Owed) continue;
                run.Add(entry);
                upTo = head;
            }
            _owed -= run.Count;
            owedAcks.Add(-run.Count);
            if (_owed == 0)
            {
                _owedOrder.Clear();
                return (upTo, run, single, null);
            }
            // The oldest ack still held back: those before it in the queue were sent since.
            while (_owedOrder.TryPeek(out var o) && !(_entries.TryGetValue(o.Tag, out var e) && e.State == State.Owed)) _owedOrder.Dequeue();
            var heldBack = Stopwatch.GetElapsedTime(_owedOrder.Peek().At);
            if (heldBack < Stranded && _owed * 4 < prefetch * 3) return (upTo, run, single, Min(Stranded - heldBack, Poll));
            foreach (var (tag, entry) in _entries)
                if (entry.State == State.Owed)
                {
                    entry.State = State.Settled;
                    single.Add((tag, entry));
                }
            owedAcks.Add(-_owed);
            _owed = 0;
            _owedOrder.Clear();
            return (upTo, run, single, null);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task WriteAsync(ulong tag, bool multiple, List<Entry> settles)
    {
        bool went;
        try
        {
            went = await write(tag, multiple);
        }
        catch (Exception e)
        {
            // The channel is gone: these deliveries come again, and each consume learns its ack failed, as it would have.
            foreach (var entry in settles) entry.Written!.TrySetException(e);
            return;
        }
        if (went) _written(multiple, settles.Count);
        foreach (var entry in settles) entry.Written!.TrySetResult();
    }

    private enum State { Consuming, Owed, Settled }

    private sealed class Entry
    {
        public State State;
        public TaskCompletionSource? Written;
    }
}
