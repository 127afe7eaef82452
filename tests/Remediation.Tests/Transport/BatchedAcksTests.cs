using Remediation.Service.Bus;
using Remediation.Service.Pipeline;

namespace Remediation.Tests.Transport;

/// <summary>
/// What the batched acknowledgements promise: a run acknowledges only deliveries whose consumes acknowledged them,
/// never one still consuming or given back; a delivery held long does not hold back the acks owed behind it for more
/// than <see cref="BatchedAcks.Stranded"/>; an ack completes only once its frame is written, and fails when it cannot be.
/// </summary>
public sealed class BatchedAcksTests
{
    private readonly Frames _frames = new();
    private readonly OwedAcks _owed = new();

    private readonly List<(bool Run, int Deliveries)> _counted = [];

    private BatchedAcks Acks(int prefetch = 100) => new(_frames.WriteAsync, _owed, prefetch, (run, deliveries) =>
    {
        lock (_counted) _counted.Add((run, deliveries));
    });

    [Fact]
    public async Task Acks_owed_below_the_oldest_delivery_still_consuming_go_in_one_run_and_the_rest_once_it_is_done()
    {
        var acks = Acks();
        for (ulong tag = 1; tag <= 5; tag++) acks.Delivered(tag);

        var early = new ulong[] { 1, 2, 3, 5 }.ToDictionary(t => t, acks.AckAsync);
        await Task.WhenAll(early[1], early[2], early[3]).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([(3UL, true)], _frames.Written);
        Assert.False(early[5].IsCompleted, "tag 5 was acknowledged while tag 4 was still consuming");
        await Task.WhenAll(acks.AckAsync(4), early[5]).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([(3UL, true), (5UL, true)], _frames.Written);
        Assert.Equal(0, _owed.Count);
    }

    [Fact]
    public async Task A_run_waits_until_a_delivery_given_back_below_it_has_been_nacked()
    {
        var acks = Acks();
        for (ulong tag = 1; tag <= 3; tag++) acks.Delivered(tag);
        var nackWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var nack = acks.NackAsync(1, async () =>
        {
            await nackWritten.Task;
            _frames.Nacked(1);
        });
        var owed = new[] { acks.AckAsync(2), acks.AckAsync(3) };
        await Task.Delay(100);
        Assert.Empty(_frames.Written);

        nackWritten.SetResult();
        await Task.WhenAll([nack, .. owed]).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([(1UL, false, "nack"), (3UL, true, "ack")], _frames.All);
    }

    [Fact]
    public async Task Acks_held_back_by_a_delivery_held_long_go_one_by_one_once_it_has_held_them_too_long()
    {
        var acks = Acks();
        for (ulong tag = 1; tag <= 4; tag++) acks.Delivered(tag);
        var started = DateTime.UtcNow;

        await Task.WhenAll(acks.AckAsync(2), acks.AckAsync(3)).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(DateTime.UtcNow - started >= BatchedAcks.Stranded - TimeSpan.FromMilliseconds(20),
            $"acknowledged one by one after {(DateTime.UtcNow - started).TotalMilliseconds:F0} ms, before the head had held them for {BatchedAcks.Stranded}");
        Assert.Equal([(2UL, false), (3UL, false)], _frames.Written);
        await Task.WhenAll(acks.AckAsync(4), acks.AckAsync(1)).WaitAsync(TimeSpan.FromSeconds(5));
        // Tag 1 and tag 4 are the only ones the broker still waits for: one run covers both, tags 2 and 3 already gone.
        Assert.Equal([(2UL, false), (3UL, false), (4UL, true)], _frames.Written);
        Assert.Equal(0, _owed.Count);
    }

    [Fact]
    public async Task A_delivery_held_long_already_holds_back_a_new_ack_for_the_time_bound_not_at_once()
    {
        var acks = Acks();
        for (ulong tag = 1; tag <= 2; tag++) acks.Delivered(tag);
        await Task.Delay(BatchedAcks.Stranded + TimeSpan.FromMilliseconds(100));

        var owed = acks.AckAsync(2);
        await Task.Delay(200);
        Assert.Empty(_frames.Written);

        await Task.WhenAll(acks.AckAsync(1), owed).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([(2UL, true)], _frames.Written);
    }

    [Fact]
    public async Task Acks_held_back_go_one_by_one_at_once_when_they_fill_three_quarters_of_the_prefetch()
    {
        var acks = Acks(prefetch: 2);
        for (ulong tag = 1; tag <= 3; tag++) acks.Delivered(tag);
        var started = DateTime.UtcNow;

        await Task.WhenAll(acks.AckAsync(2), acks.AckAsync(3)).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(DateTime.UtcNow - started < BatchedAcks.Stranded - TimeSpan.FromMilliseconds(150),
            $"acknowledged after {(DateTime.UtcNow - started).TotalMilliseconds:F0} ms: they waited for the time bound, not the prefetch");
        Assert.Equal([(2UL, false), (3UL, false)], _frames.Written);
    }

    [Fact]
    public async Task A_run_is_not_written_while_an_earlier_one_is_still_being_written()
    {
        var acks = Acks();
        acks.Delivered(1);
        acks.Delivered(2);
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _frames.Slow = slow;

        var first = acks.AckAsync(1);
        for (var until = DateTime.UtcNow.AddSeconds(5); _frames.Written.Count == 0 && DateTime.UtcNow < until;) await Task.Delay(1);
        var second = acks.AckAsync(2);
        await Task.Delay(100);
        slow.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));

        // A run at 2 written before the run at 1 is the broker's "unknown delivery tag 1": it closes the channel.
        Assert.False(_frames.Overlapped, "a second run was written while the first was still being written");
        Assert.Equal([(1UL, true), (2UL, true)], _frames.Written);
    }

    [Fact]
    public async Task An_ack_whose_frame_cannot_be_written_fails_its_consume_and_owes_nothing_after()
    {
        var acks = Acks();
        acks.Delivered(1);
        acks.Delivered(2);
        _frames.Fail = new InvalidOperationException("Channel is already closed");

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => acks.AckAsync(1).WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.Equal("Channel is already closed", failed.Message);
        Assert.Equal(0, _owed.Count);
    }

    [Fact]
    public async Task An_ack_the_lost_connection_drops_completes_its_consume_and_is_not_counted_as_written()
    {
        var acks = Acks();
        for (ulong tag = 1; tag <= 3; tag++) acks.Delivered(tag);
        await Task.WhenAll(acks.AckAsync(1), acks.AckAsync(2)).WaitAsync(TimeSpan.FromSeconds(5));
        _frames.Dropping = true;

        await acks.AckAsync(3).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([(2UL, true), (3UL, true)], _frames.All.Select(f => (f.Tag, f.Multiple)).ToList());
        lock (_counted) Assert.Equal([(true, 2)], _counted);
        Assert.Equal(0, _owed.Count);
    }

    [Fact]
    public async Task The_acks_owed_are_counted_until_their_run_is_taken()
    {
        var acks = Acks();
        for (ulong tag = 1; tag <= 3; tag++) acks.Delivered(tag);

        var owed = new[] { acks.AckAsync(2), acks.AckAsync(3) };

        Assert.Equal(2, _owed.Count);
        await Task.WhenAll([acks.AckAsync(1), .. owed]).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, _owed.Count);
        Assert.Equal([(3UL, true)], _frames.Written);
    }

    /// <summary>The frames written to the channel, in order.</summary>
    private sealed class Frames
    {
        private readonly List<(ulong Tag, bool Multiple, string Kind)> _all = [];

        public Exception? Fail { get; set; }

        /// <summary>When set, writes say they dropped their frame, as a write on a lost connection does.</summary>
        public bool Dropping { get; set; }

        public List<(ulong Tag, bool Multiple, string Kind)> All
        {
            get { lock (_all) return [.. _all]; }
        }

        public List<(ulong Tag, bool Multiple)> Written => All.Where(f => f.Kind == "ack").Select(f => (f.Tag, f.Multiple)).ToList();

        private int _writing;

        /// <summary>When set, the first write waits for it, as a write into a busy channel waits for its turn.</summary>
        public TaskCompletionSource? Slow { get; set; }

        /// <summary>Whether a write began while another was still being written.</summary>
        public bool Overlapped { get; private set; }

        public async ValueTask<bool> WriteAsync(ulong tag, bool multiple)
        {
            if (Fail is { } e) throw e;
            if (Interlocked.Increment(ref _writing) > 1) Overlapped = true;
            try
            {
                lock (_all) _all.Add((tag, multiple, "ack"));
                if (Slow is { } slow)
                {
                    Slow = null;
                    await slow.Task;
                }
                return !Dropping;
            }
            finally
            {
                Interlocked.Decrement(ref _writing);
            }
        }

        public void Nacked(ulong tag)
        {
            lock (_all) _all.Add((tag, false, "nack"));
        }
    }
}
