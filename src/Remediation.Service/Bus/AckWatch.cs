using System.Collections.Concurrent;
using MassTransit;

namespace Remediation.Service.Bus;

/// <summary>
/// Acknowledgements a consumer is done with but MassTransit has not written yet. After three broker restarts in a row a
/// process dump showed 5,114 deliveries decided and committed whose <c>BasicAck</c> never completed (RabbitMQ.Client
/// 7.2.2's stuck frame writer), while every endpoint looked healthy and sends got through now and then: nothing else
/// the transport watch reads said that ingest had stopped. MassTransit writes the acknowledgement between a consumer's
/// end (<see cref="PostConsume{T}"/>) and the receive's end (<see cref="PostReceive"/>), so what sits between the two
/// for long is stuck there.
/// </summary>
public sealed class AckWatch(TimeProvider clock) : IReceiveObserver
{
    private readonly ConcurrentDictionary<ReceiveContext, DateTimeOffset> _waiting = new(ReferenceEqualityComparer.Instance);
    private long _acknowledged;

    /// <summary>Deliveries consumed and then acknowledged since the start.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>How many acknowledgements wait, and since when the oldest has; null when none waits.</summary>
    public (int Count, DateTimeOffset Since)? Oldest()
    {
        var count = 0;
        var since = DateTimeOffset.MaxValue;
        foreach (var at in _waiting.Values)
        {
            count++;
            if (at < since) since = at;
        }
        return count == 0 ? null : (count, since);
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class
    {
        _waiting.TryAdd(context.ReceiveContext, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context)
    {
        if (_waiting.TryRemove(context, out _)) Interlocked.Increment(ref _acknowledged);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        _waiting.TryRemove(context, out _);
        return Task.CompletedTask;
    }

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
        Task.CompletedTask;
}
