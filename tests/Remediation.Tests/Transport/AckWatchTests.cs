using System.Reflection;
using MassTransit;
using Remediation.Service.Bus;
using Remediation.Tests.Slack;

namespace Remediation.Tests.Transport;

/// <summary>
/// What the watch counts as an acknowledgement waiting: a delivery whose consumer is done and whose receive has not
/// ended, and nothing else.
/// </summary>
public sealed class AckWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 19, 0, 0, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Start);

    [Fact]
    public async Task A_delivery_waits_from_its_consumers_end_until_its_receive_ends()
    {
        var watch = new AckWatch(_clock);
        var (first, second) = (Received(), Received());
        Assert.Null(watch.Oldest());

        await watch.PreReceive(first);
        Assert.True(watch.Oldest() is null, "a delivery still being consumed is not waiting for its acknowledgement");
        await watch.PostConsume(Consumed(first), TimeSpan.Zero, "consumer");
        _clock.Now = Start.AddSeconds(3);
        await watch.PostConsume(Consumed(second), TimeSpan.Zero, "consumer");

        Assert.Equal((2, Start), watch.Oldest());
        await watch.PostReceive(first);
        Assert.Equal((1, Start.AddSeconds(3)), watch.Oldest());
        await watch.ReceiveFault(second, new InvalidOperationException("channel closed"));
        Assert.Null(watch.Oldest());
        Assert.Equal(1, watch.Acknowledged);
    }

    [Fact]
    public async Task A_consumer_that_faulted_is_not_counted()
    {
        var watch = new AckWatch(_clock);
        var received = Received();

        await watch.ConsumeFault(Consumed(received), TimeSpan.Zero, "consumer", new InvalidOperationException("bad"));

        Assert.Null(watch.Oldest());
    }

    private static ReceiveContext Received() => DispatchProxy.Create<ReceiveContext, Stub>();

    private static ConsumeContext<object> Consumed(ReceiveContext received)
    {
        var context = DispatchProxy.Create<ConsumeContext<object>, Stub>();
        ((Stub)(object)context).Received = received;
        return context;
    }

    /// <summary>A context that answers only <c>ReceiveContext</c>, the one thing the watch reads.</summary>
    public class Stub : DispatchProxy
    {
        public ReceiveContext? Received { get; set; }

        protected override object? Invoke(MethodInfo? method, object?[]? args) =>
            method?.Name == "get_ReceiveContext" ? Received : throw new NotSupportedException(method?.Name);
    }
}
