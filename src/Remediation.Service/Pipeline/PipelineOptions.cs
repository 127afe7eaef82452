namespace Remediation.Service.Pipeline;

public sealed record PipelineOptions
{
    /// <summary>Most inputs decided and committed in one PostgreSQL transaction.</summary>
    public int MaxBatch { get; init; } = 2000;

    /// <summary>
    /// Unacknowledged deliveries RabbitMQ may hand the service; bounds memory and coalescing depth. Each is also a
    /// consumer dispatch loop of RabbitMQ.Client (MassTransit sets its dispatch concurrency to the endpoint's message
    /// limit, and a consumer holds its loop until the input commits), and every delivery wakes all the idle ones: at
    /// 8,000 the wake-ups cost more CPU than the work at 1,000 faults/s (steady p50 26-29 ms against 6 ms at 2,000, the
    /// drain no faster; docs/performance.md).
    /// </summary>
    public ushort Prefetch { get; init; } = 2000;

    /// <summary>How often counted repeats are written out, and how often deadlines are checked.</summary>
    public TimeSpan CoalesceFlush { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Node states kept in memory between batches. Past it, idle nodes are let go (they load again from the store when
    /// they next fault), so made-up node ids cannot grow the service without limit.
    /// </summary>
    public int MaxCachedNodes { get; init; } = 100_000;

    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the global pause is read back from PostgreSQL, where other instances may have set it.</summary>
    public TimeSpan PauseRefresh { get; init; } = TimeSpan.FromSeconds(2);
}
