using System.Diagnostics;
using RabbitMQ.Client;
using Remediation.Contracts;

namespace Remediation.Bench;

/// <summary>Offers faults at a rate, evenly: a small slice every 5 ms over one confirmed channel, not one burst per second.</summary>
public static class BenchLoad
{
    public static async Task<int> OfferAsync(IConnection bus, string userId, double rate, TimeSpan duration, Func<int, byte[]> fault, CancellationToken ct, Func<bool>? stop = null)
    {
        await using var publisher = await BenchPublisher.OpenAsync(bus, userId, ct);
        var tick = TimeSpan.FromMilliseconds(5);
        var total = (int)(rate * duration.TotalSeconds);
        var started = Stopwatch.StartNew();
        var sent = 0;
        while (sent < total && stop?.Invoke() != true)
        {
            var due = (int)Math.Min(total, rate * (started.Elapsed + tick).TotalSeconds);
            if (due > sent)
            {
                var bodies = Enumerable.Range(sent, due - sent).Select(fault).ToList();
                sent = due;
                await publisher.PublishAsync(Exchanges.Faults, "", bodies, ct);
            }
            var wait = TimeSpan.FromSeconds(sent / rate) - started.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
        }
        return sent;
    }

    public static async Task WaitForAsync(Func<bool> condition, TimeSpan limit, CancellationToken ct)
    {
        var until = Stopwatch.StartNew();
        while (!condition() && until.Elapsed < limit) await Task.Delay(50, ct);
    }
}
