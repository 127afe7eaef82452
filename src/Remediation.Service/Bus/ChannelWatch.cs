using RabbitMQ.Client;

namespace Remediation.Service.Bus;

/// <summary>
/// Tells a channel the client's automatic recovery left behind: closed for a while although its connection is open
/// again. Seen after a RabbitMQ restart under load (the loop's command channel stayed closed for good, and with it
/// every step command); the owner then opens a new channel. The grace lets recovery finish first: right after a
/// connection comes back, its channels are still being reopened one by one.
/// </summary>
public sealed class ChannelWatch(TimeSpan grace)
{
    private readonly Dictionary<IChannel, DateTimeOffset> _closedSince = [];

    public bool Lost(IConnection connection, IChannel channel)
    {
        lock (_closedSince)
        {
            if (!connection.IsOpen || channel.IsOpen)
            {
                _closedSince.Remove(channel);
                return false;
            }
            var now = DateTimeOffset.UtcNow;
            if (!_closedSince.TryGetValue(channel, out var since)) _closedSince[channel] = since = now;
            if (now - since < grace) return false;
            _closedSince.Remove(channel);
            return true;
        }
    }
}
