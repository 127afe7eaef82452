using System.Diagnostics;
using Remediation.Contracts;

namespace Remediation.Bench;

/// <summary>
/// Offers faults at a rate, evenly: each of <c>publishers</c> connections takes every n-th fault and publishes its
/// slice every 5 ms, with confirms counted in windows rather than awaited per slice. Bodies come from
/// <c>fault</c> at publish time (so observedAt is the publish time); a storm passes bodies it serialized beforehand.
/// </summary>
public static class BenchLoad
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    public static async Task<OfferedLoad> OfferAsync(BenchContext c, double rate, TimeSpan duration, Func<int, byte[]> fault, CancellationToken ct,
        int publishers = 1, Func<bool>? stop = null)
    {
        var lanes = await BenchPublisher.OpenManyAsync(c, publishers, ct);
        try
        {
            var total = (int)(rate * duration.TotalSeconds);
            var clock = Stopwatch.StartNew();
            var sent = await Task.WhenAll(lanes.Select((lane, l) => PaceAsync(lane, l, lanes.Length, rate / lanes.Length, total, fault, clock, stop, ct)));
            return new OfferedLoad(rate, sent.Sum(), clock.Elapsed);
        }
        finally
        {
            foreach (var lane in lanes) await lane.DisposeAsync();
        }
    }

    private static async Task<long> PaceAsync(BenchPublisher lane, int l, int lanes, double rate, int total, Func<int, byte[]> fault, Stopwatch clock,
        Func<bool>? stop, CancellationToken ct)
    {
        var mine = (total - l + lanes - 1) / lanes;
        var sent = 0;
        while (sent < mine && stop?.Invoke() != true)
        {
            var due = (int)Math.Min(mine, rate * (clock.Elapsed + Tick).TotalSeconds);
            for (; sent < due; sent++) await lane.PublishAsync(Exchanges.Faults, "", fault(l + sent * lanes), ct);
            if (Pause(sent, rate, clock.Elapsed) is var pause && pause > TimeSpan.Zero) await Task.Delay(pause, ct);
        }
        await lane.ConfirmAllAsync(ct);
        return sent;
    }

    /// <summary>
    /// How long a lane that has sent <paramref name="sent"/> sleeps: until its next fault falls within a tick, and at
    /// least a millisecond. Task.Delay rounds anything shorter to nothing, so a lane that waited for "the time its last
    /// fault was due" spun whenever that was under a millisecond away: at 100/s, half the time, on the cores the
    /// service under measurement needed.
    /// </summary>
    public static TimeSpan Pause(int sent, double rate, TimeSpan elapsed)
    {
        var wait = TimeSpan.FromSeconds((sent + 1) / rate) - Tick - elapsed;
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < OneMillisecond ? OneMillisecond : wait;
    }

    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    public static async Task WaitForAsync(Func<bool> condition, TimeSpan limit, CancellationToken ct)
    {
        var until = Stopwatch.StartNew();
        while (!condition() && until.Elapsed < limit) await Task.Delay(50, ct);
    }
}
