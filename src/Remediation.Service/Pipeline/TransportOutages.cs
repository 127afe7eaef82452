namespace Remediation.Service.Pipeline;

/// <summary>
/// When the transport could not deliver anything (the broker unreachable), as the transport's health saw it. A step's
/// deadline is pushed back by the outage time since its command was sent: its result may be waiting on the other side.
/// </summary>
public sealed class TransportOutages
{
    private static readonly TimeSpan Remembered = TimeSpan.FromDays(1);

    private readonly List<(DateTimeOffset From, DateTimeOffset To)> _past = [];
    private DateTimeOffset? _downSince;

    public bool IsDown
    {
        get
        {
            lock (_past) return _downSince is not null;
        }
    }

    public void Observe(bool down, DateTimeOffset now)
    {
        lock (_past)
        {
            if (down) _downSince ??= now;
            else if (_downSince is { } since)
            {
                _past.Add((since, now));
                _downSince = null;
                _past.RemoveAll(p => now - p.To > Remembered);
            }
        }
    }

    /// <summary>How long the transport has been down since <paramref name="since"/>, past outages only.</summary>
    public TimeSpan DownSince(DateTimeOffset since)
    {
        lock (_past)
        {
            var total = TimeSpan.Zero;
            foreach (var (from, to) in _past)
                if (to > since) total += to - (from > since ? from : since);
            return total;
        }
    }
}
