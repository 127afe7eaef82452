namespace Remediation.Service.Pipeline;

public sealed record PipelineOptions
{
    /// <summary>Most inputs decided and committed in one PostgreSQL transaction.</summary>
    public int MaxBatch { get; init; } = 2000;

    /// <summary>Unacknowledged deliveries RabbitMQ may hand the service; bounds memory and coalescing depth.</summary>
    public ushort Prefetch { get; init; } = 8000;

    /// <summary>How often counted repeats are written out, and how often deadlines are checked.</summary>
    public TimeSpan CoalesceFlush { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the global pause is read back from PostgreSQL, where other instances may have set it.</summary>
    public TimeSpan PauseRefresh { get; init; } = TimeSpan.FromSeconds(2);
}
