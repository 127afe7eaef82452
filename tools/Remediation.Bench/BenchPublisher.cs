using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Remediation.Contracts;
using Remediation.Simulator;

namespace Remediation.Bench;

/// <summary>
/// One publisher: a connection of its own and a confirmed channel whose confirms are counted as they arrive, not
/// awaited one by one. Publishes go out back to back; the publisher waits for the broker only when <see cref="Window"/>
/// of them are unconfirmed, and at the end. RabbitMQ.Client's own confirm tracking lets 128 wait at most (its default
/// rate limiter) and slows each publish from 64 on, which held the bench's 20k/s burst to a few thousand a second.
/// </summary>
public sealed class BenchPublisher : IAsyncDisposable
{
    public const int Window = 4000;

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly BasicProperties _properties;
    private readonly Confirms _confirms = new();

    private BenchPublisher(IConnection connection, IChannel channel, string userId)
    {
        _connection = connection;
        _channel = channel;
        _properties = new() { ContentType = "application/json", Persistent = true, UserId = userId };
        channel.BasicAcksAsync += (_, e) => Confirmed(e.DeliveryTag, e.Multiple, nacked: false);
        channel.BasicNacksAsync += (_, e) => Confirmed(e.DeliveryTag, e.Multiple, nacked: true);
    }

    public static async Task<BenchPublisher> OpenAsync(BenchContext c, string name, CancellationToken ct)
    {
        var connection = await BrokerConnections.Factory(c.RabbitMq, name).CreateConnectionAsync(ct);
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false), ct);
        return new BenchPublisher(connection, channel, BrokerUser.Of(c.RabbitMq));
    }

    /// <summary>Opens <paramref name="count"/> publishers, each on its own connection, so the broker reads them in parallel.</summary>
    public static async Task<BenchPublisher[]> OpenManyAsync(BenchContext c, int count, CancellationToken ct) =>
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, count)).Select(i => OpenAsync(c, $"remediation-bench-publisher-{i}", ct)));

    /// <summary>Publishes every body, split over <paramref name="count"/> publishers, and waits for all confirms; returns messages/s.</summary>
    public static async Task<double> PublishAllAsync(BenchContext c, int count, string exchange, string routingKey, IReadOnlyList<byte[]> bodies, CancellationToken ct)
    {
        var publishers = await OpenManyAsync(c, count, ct);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(publishers.Select(async (p, lane) =>
            {
                for (var i = lane; i < bodies.Count; i += publishers.Length) await p.PublishAsync(exchange, routingKey, bodies[i], ct);
                await p.ConfirmAllAsync(ct);
            }));
            return bodies.Count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var p in publishers) await p.DisposeAsync();
        }
    }

    public async Task PublishAsync(string exchange, string routingKey, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        await _channel.BasicPublishAsync(exchange, routingKey, false, _properties, body, ct);
        var published = _confirms.Published();
        if (published - _confirms.Through > Window) await _confirms.WaitAsync(published - Window / 2, ct);
    }

    /// <summary>Waits until the broker confirmed everything published; throws when it refused any.</summary>
    public async Task ConfirmAllAsync(CancellationToken ct)
    {
        await _confirms.WaitAsync(_confirms.Count, ct);
        if (_confirms.Nacked > 0) throw new InvalidOperationException($"the broker refused {_confirms.Nacked} of {_confirms.Count} bench publishes");
    }

    private Task Confirmed(ulong tag, bool multiple, bool nacked)
    {
        _confirms.Confirm(tag, multiple, nacked);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>
/// Publisher confirms counted by sequence number: a multiple ack confirms everything up to its tag, a single one its
/// own tag; <see cref="Through"/> is the highest tag with every tag below it confirmed.
/// </summary>
public sealed class Confirms
{
    private readonly Lock _gate = new();
    private readonly HashSet<ulong> _ahead = [];
    private TaskCompletionSource _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong _count, _through;
    private long _nacked;

    public ulong Count { get { lock (_gate) return _count; } }
    public ulong Through { get { lock (_gate) return _through; } }
    public long Nacked { get { lock (_gate) return _nacked; } }

    /// <summary>Counts one more publish; returns its sequence number (the first is 1, as the broker numbers them).</summary>
    public ulong Published() { lock (_gate) return ++_count; }

    public void Confirm(ulong tag, bool multiple, bool nacked)
    {
        TaskCompletionSource moved;
        lock (_gate)
        {
            var before = _through;
            if (multiple)
            {
                var newly = tag > _through ? (long)(tag - _through) - _ahead.Count(t => t <= tag) : 0;
                if (nacked) _nacked += newly;
                _ahead.RemoveWhere(t => t <= tag);
                _through = Math.Max(_through, tag);
            }
            else if (tag > _through && _ahead.Add(tag) && nacked) _nacked++;
            while (_ahead.Remove(_through + 1)) _through++;
            if (_through == before) return;
            moved = _moved;
            _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        moved.TrySetResult();
    }

    public async Task WaitAsync(ulong through, CancellationToken ct)
    {
        while (true)
        {
            Task moved;
            lock (_gate)
            {
                if (_through >= through) return;
                moved = _moved.Task;
            }
            await moved.WaitAsync(ct);
        }
    }
}
