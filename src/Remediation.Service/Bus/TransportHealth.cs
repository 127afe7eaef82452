using MassTransit;
using RabbitMQ.Client;
using Remediation.Service.Partitions;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// What of the transport is stuck, from MassTransit's own health (the bus and each receive endpoint) and from the
/// partitions held without a running endpoint. Checked every couple of seconds so that a stall is never silent: a
/// warning names the stuck parts once when an episode starts, and one line says when it ended.
/// </summary>
public sealed class TransportHealth(IBusControl bus, EndpointStates states, PartitionLeases leases, PartitionEndpoints endpoints, IngestEndpoints ingest,
    BrokerConnection broker, QueueDepths queues, WireSender sender, AckWatch acks, TransportOutages outages, TransportWedge wedge, BrokerProbe probe, TimeProvider clock,
    ILogger<TransportHealth> logger)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    /// <summary>An endpoint connecting or a partition being taken is not stuck yet: only what stays down this long.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An endpoint down this long while the broker answers is one MassTransit gave up on (it ends an endpoint's transport
    /// for good on an <see cref="OperationCanceledException"/>, e.g. a declare cancelled by the next restart): connect it anew.
    /// </summary>
    private static readonly TimeSpan Abandoned = TimeSpan.FromSeconds(15);

    /// <summary>
    /// An endpoint connected anew that does not come up within the grace while the broker answers means the connection
    /// under it is wedged (measured after three broker restarts in a row: every endpoint connected anew timed out, the
    /// connection still open). It is then dropped, at most this often, so MassTransit opens a new one and every endpoint
    /// reconnects on it, as after any lost connection.
    /// </summary>
    private static readonly TimeSpan ResetAtMost = TimeSpan.FromSeconds(60);

    private DateTimeOffset _reset = DateTimeOffset.MinValue;

    /// <summary>How sends that keep failing are named among the stuck parts.</summary>
    private const string Sends = "sends";

    /// <summary>How a connection the broker blocked is named among the stuck parts.</summary>
    private const string Blocked = "broker";

    /// <summary>How acknowledgements that are not written are named among the stuck parts.</summary>
    private const string Acks = "acknowledgements";

    /// <summary>An acknowledgement is written within milliseconds; one waiting this long (plus the grace) is stuck.</summary>
    private static readonly TimeSpan AckLate = TimeSpan.FromSeconds(5);

    /// <summary>Queues this instance consumes (as far as MassTransit knows) on which the broker sees no consumer at all.</summary>
    private volatile IReadOnlyCollection<string> _unattended = [];
    private readonly Dictionary<string, DateTimeOffset> _since = [];
    private readonly Dictionary<string, DateTimeOffset> _restarted = [];
    private readonly Dictionary<string, Task> _restarting = [];

    /// <summary>Down: nothing moves (the broker is unreachable). Stuck: what has not been consuming for the grace, by name.</summary>
    public (bool Down, IReadOnlyList<string> Stuck) Check()
    {
        var health = bus.CheckHealth();
        var unhappy = new Dictionary<string, string>();
        foreach (var endpoint in health.Endpoints.Values)
            if (endpoint.Status != BusHealthStatus.Healthy)
                unhappy[Name(endpoint.InputAddress)] = $"{endpoint.Status.ToString().ToLowerInvariant()}: {endpoint.Description ?? endpoint.Exception?.Message}";
            else if (states.Consuming(endpoint.ReceiveEndpoint) == false)
                unhappy[Name(endpoint.InputAddress)] = "connecting: not consuming yet";
        foreach (var queue in _unattended) unhappy.TryAdd(queue, "the broker sees no consumer on it");
        if (sender.FailingSince is { } failing)
            unhappy[Sends] = $"no send confirmed since {failing:HH:mm:ss} (step commands, results, copies to partitions wait)";
        if (acks.Oldest() is { } waiting && clock.GetUtcNow() - waiting.Since >= AckLate)
            unhappy[Acks] = $"{waiting.Count} deliveries decided but not acknowledged, the oldest since {waiting.Since:HH:mm:ss} (nothing new is delivered)";
        if (broker.Blocked is { } why)
            unhappy[Blocked] = $"the broker blocked the connection ({why}): it takes nothing until its resource alarm clears";
        var connected = endpoints.Connected.ToHashSet();
        foreach (var partition in leases.Held.Where(p => !connected.Contains(p)))
            unhappy[PartitionMap.Queue(partition)] = $"partition {partition} is held but its endpoint is not connected";
        var now = clock.GetUtcNow();
        lock (_since)
        {
            foreach (var gone in _since.Keys.Except(unhappy.Keys).ToList()) _since.Remove(gone);
            foreach (var name in unhappy.Keys) _since.TryAdd(name, now);
            var stuck = unhappy.Where(u => now - _since[u.Key] >= Grace).Select(u => $"{u.Key} ({u.Value})").Order().ToList();
            return (health.Status == BusHealthStatus.Unhealthy && stuck.Count > 0, stuck);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        DateTimeOffset? since = null;
        using var timer = new PeriodicTimer(Every, clock);
        while (await timer.WaitForNextTickAsync(ct))
        {
            outages.Observe(bus.CheckHealth().Status == BusHealthStatus.Unhealthy, clock.GetUtcNow());
            await AskTheBrokerAsync(ct);
            var (down, stuck) = Check();
            RestartAbandoned(ct);
            ResetIfSendsAreStuck();
            // A broker that blocked the connection answers a probe but takes nothing: an outage to ride out, not a wedge.
            wedge.Observe(stuck, stuck.Count == 0 || broker.Blocked is null && await probe.AnswersAsync(Every, ct));
            if (stuck.Count > 0 && since is null)
            {
                since = clock.GetUtcNow();
                logger.LogWarning("The transport is stuck{Down}: {Stuck}", down ? " (the broker is unreachable)" : "", string.Join("; ", stuck));
            }
            else if (stuck.Count == 0 && since is { } start)
            {
                since = null;
                logger.LogInformation("The transport is consuming again after {Seconds:F0}s", (clock.GetUtcNow() - start).TotalSeconds);
            }
        }
    }

    /// <summary>
    /// MassTransit can call an endpoint healthy whose consumer the broker no longer has (measured after three broker
    /// restarts in a row: the step-results ingest queue filled with no consumer while every endpoint looked healthy), so
    /// the broker's own count of consumers is asked too.
    /// </summary>
    private async Task AskTheBrokerAsync(CancellationToken ct)
    {
        var mine = IngestEndpoints.Queues.Concat(endpoints.Connected.Select(PartitionMap.Queue)).ToList();
        try
        {
            using var ask = CancellationTokenSource.CreateLinkedTokenSource(ct);
            ask.CancelAfter(Every);
            var read = await queues.ReadAsync(mine, ask.Token);
            _unattended = read is null ? [] : read.Where(q => q.Value.Consumers == 0).Select(q => q.Key).ToList();
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The broker not answering is what the bus's own health reports; this only adds what it misses.
            logger.LogDebug("Reading the consumers of the service's queues failed: {Error}", e.Message);
        }
    }

    private void RestartAbandoned(CancellationToken ct)
    {
        if (broker.Current is null) return;
        var now = clock.GetUtcNow();
        List<string> abandoned;
        lock (_since)
            abandoned = _since.Where(s => now - s.Value >= Abandoned && now - _restarted.GetValueOrDefault(s.Key) >= Abandoned).Select(s => s.Key).ToList();
        foreach (var name in abandoned)
        {
            var partition = leases.Held.Where(p => PartitionMap.Queue(p) == name).Select(p => (int?)p).FirstOrDefault();
            if (partition is null && !IngestEndpoints.Queues.Contains(name)) continue;
            lock (_since)
            {
                if (_restarting.TryGetValue(name, out var running) && !running.IsCompleted) continue;
                _restarted[name] = now;
                logger.LogWarning("Endpoint {Endpoint} has not consumed for {Seconds:F0}s while the broker answers; connecting it anew", name,
                    (now - _since[name]).TotalSeconds);
                // In the background: a restart that hangs must not stop this watch from seeing and saying what is stuck.
                _restarting[name] = Task.Run(() => RestartAsync(name, partition, ct), CancellationToken.None);
            }
        }
    }

    private async Task RestartAsync(string name, int? partition, CancellationToken ct)
    {
        try
        {
            if (partition is { } p) await endpoints.RestartAsync(p, ct).WaitAsync(Grace, ct);
            else await ingest.RestartAsync(name).WaitAsync(Grace, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Connecting {Endpoint} anew did not finish ({Error}); tried again in {Seconds:F0}s", name, e.Message, Abandoned.TotalSeconds);
            await ResetConnectionAsync();
        }
    }

    /// <summary>
    /// Sends that fail, or acknowledgements that are not written, for as long as an abandoned endpoint is tolerated
    /// while the broker answers wait on a connection MassTransit gave up on (measured after three broker restarts: every
    /// step command timed out for minutes while the endpoints consumed): the connection is dropped so that the next
    /// sends get a new one.
    /// </summary>
    private void ResetIfSendsAreStuck()
    {
        var now = clock.GetUtcNow();
        if (sender.FailingSince is { } failing && now - failing >= Abandoned) _ = ResetConnectionAsync();
        else if (acks.Oldest() is { } waiting && now - waiting.Since >= Abandoned) _ = ResetConnectionAsync();
    }

    private Task ResetConnectionAsync()
    {
        if (broker.Current is not { } wedged) return Task.CompletedTask;
        var now = clock.GetUtcNow();
        lock (_since)
        {
            if (now - _reset < ResetAtMost) return Task.CompletedTask;
            _reset = now;
        }
        logger.LogWarning("The broker answers but endpoints connected anew do not come up, or sends keep failing: dropping the connection so that MassTransit opens a new one");
        // In the background: the abort itself can hang on a wedged client, and this watch must go on to see that.
        return Task.Run(async () =>
        {
            try
            {
                await wedged.Connection.AbortAsync(Grace).WaitAsync(2 * Grace);
            }
            catch (TimeoutException)
            {
                // An abort that outlasts its own timeout is the client's deadlock, which nothing in the process frees.
                if (await probe.AnswersAsync(Every, CancellationToken.None))
                    wedge.Declare($"dropping the connection did not finish within {(2 * Grace).TotalSeconds:F0}s while the broker answers " +
                        "(RabbitMQ.Client is deadlocked)");
                else logger.LogWarning("Dropping the connection did not finish; the broker does not answer either");
            }
            catch (Exception e)
            {
                logger.LogWarning("Dropping the connection failed: {Error}", e.Message);
            }
        });
    }

    /// <summary>An endpoint's queue, from its input address.</summary>
    internal static string Name(Uri address) => address.AbsolutePath.Split('/').LastOrDefault() ?? address.ToString();
}
