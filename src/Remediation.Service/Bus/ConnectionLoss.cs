using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using MassTransit;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client;

namespace Remediation.Service.Bus;

/// <summary>
/// Keeps a lost connection from wedging the endpoints that consumed on it. RabbitMQ.Client 7.2 closes a connection's
/// channels one after another, each only once its consumers' deliveries have finished, and it closes the socket's frame
/// buffer (128 frames) last. When the broker goes away under load, deliveries that finish in between acknowledge into
/// that full buffer, whose writer is gone: they never complete, the channel never closes, and MassTransit, which waits
/// for them, never reconnects the endpoint (measured: 12 of 16 partitions left without a consumer after one restart).
/// So a consumer of ours, once its connection is lost, stops waiting for its commit or its sends and finishes only once
/// its own channel is closed, and ends as given back (a cancel): MassTransit writes no acknowledgement, the broker
/// redelivers the message, and the event id or command id makes the second delivery harmless.
/// </summary>
public static class ConnectionLoss
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Long enough for the client to close every channel of a connection; never a reason to hang for good.</summary>
    private static readonly TimeSpan MostHeld = TimeSpan.FromSeconds(30);

    /// <summary>MassTransit cancels a consume at once after its channel closes; a consume it never cancels is not held long.</summary>
    private static readonly TimeSpan CancelFollows = TimeSpan.FromSeconds(1);

    private static readonly ConditionalWeakTable<IConnection, Watch> Watches = [];

    /// <summary>Cancelled as soon as the connection the message came on is lost (none for a message that came some other way).</summary>
    public static CancellationToken Of(ReceiveContext context) =>
        context.TryGetPayload<ChannelContext>(out var channel) ? Of(channel.ConnectionContext.Connection) : CancellationToken.None;

    /// <summary>Cancelled as soon as <paramref name="connection"/> is lost.</summary>
    public static CancellationToken Of(IConnection connection) => Watches.GetValue(connection, c => new Watch(c)).Lost;

    /// <summary>
    /// Runs a consumer's work and, when its connection was lost meanwhile, holds its end (returned or thrown) until the
    /// channel it came on is closed, so that no acknowledgement is written into the dead connection, and then ends it as
    /// given back to the broker.
    /// </summary>
    public static async Task GuardAsync(ReceiveContext context, Func<CancellationToken, Task> consume)
    {
        var lost = Of(context);
        try
        {
            await consume(lost);
        }
        catch (OperationCanceledException e) when (lost.IsCancellationRequested && e.CancellationToken != context.CancellationToken)
        {
            throw Redelivered("the connection it came on was lost", e, context);
        }
        catch (OperationCanceledException e) when (context.CancellationToken.IsCancellationRequested && e.CancellationToken != context.CancellationToken)
        {
            // MassTransit cancels the consumes of a channel that shuts down, often before the watch sees the connection
            // lost; a consumer's own token linked to the consume's then says so in a cancel MassTransit would log as a fault.
            throw Redelivered("its receive was cancelled", e, context);
        }
        finally
        {
            if (IsLost(context, out var channel)) await UntilGivenBackAsync(context, channel);
        }
        // Done, but its acknowledgement cannot be written: MassTransit would try, and log the closed channel as an error
        // with its stack (523 of them in the second a broker shut down under load). The broker delivers it again either
        // way, and its event ids make that harmless.
        if (IsLost(context, out _)) throw Redelivered("its connection was lost before it could be acknowledged", null, context);
    }

    private static bool IsLost(ReceiveContext context, [NotNullWhen(true)] out IChannel? channel)
    {
        channel = context.TryGetPayload<ChannelContext>(out var payload) && !payload.ConnectionContext.Connection.IsOpen ? payload.Channel : null;
        return channel is not null;
    }

    /// <summary>
    /// A consume given up so that the broker delivers the message again, said the way MassTransit logs such an end as
    /// one line (<c>R-CANCEL</c>, information): any other exception is logged as a fault with its stack, and one broker
    /// restart under load gave up the 2,000 prefetched inputs at once, 20,000 lines of errors that were not errors.
    /// </summary>
    public static OperationCanceledException Redelivered(string why, Exception? inner, ReceiveContext context) =>
        new($"Given back to the broker: {why}", inner, context.CancellationToken);

    /// <summary>
    /// Waits, for a while at most, until the client has closed the channel, and then until MassTransit has cancelled the
    /// consume, which it does from the channel's shutdown event, just after the client marks the channel closed. A
    /// consume that ends in between is not cancelled yet, and MassTransit logs its give-back as a fault (about one run
    /// of ten of <c>ConnectionLossTests</c>).
    /// </summary>
    public static async Task UntilGivenBackAsync(ReceiveContext context, IChannel channel)
    {
        var until = DateTime.UtcNow + MostHeld;
        while (!channel.IsClosed && DateTime.UtcNow < until) await Task.Delay(Poll);
        var cancelled = DateTime.UtcNow + CancelFollows;
        while (!context.CancellationToken.IsCancellationRequested && DateTime.UtcNow < cancelled) await Task.Delay(1);
    }

    /// <summary>One per connection: the client marks a connection closed first, before it closes any channel of it.</summary>
    private sealed class Watch
    {
        private readonly CancellationTokenSource _lost = new();

        public Watch(IConnection connection)
        {
            Lost = _lost.Token;
            _ = WatchAsync(connection);
        }

        public CancellationToken Lost { get; }

        private async Task WatchAsync(IConnection connection)
        {
            while (connection.IsOpen) await Task.Delay(Poll);
            await _lost.CancelAsync();
        }
    }
}
