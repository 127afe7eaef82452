namespace Remediation.Bench.Limits;

/// <summary>
/// The best events/s the measured parts allow, one event per fault, with the cheapest commit measured (the largest
/// batch, the faster of array insert and COPY) and the faster consumer (an ack each, or one per batch). <c>Serial</c>: consume, commit and ack one after another, as the
/// baseline does, each part's time per event added up. <c>Overlapped</c>: the parts run at once, so the slowest bounds
/// it; on 2 cores it can only be approached, since each part measured alone already used both. <c>WithPublish</c>:
/// serial with the publishers on the same machine too, as in a live storm (in <c>max</c> the backlog is published
/// before the clock starts).
/// </summary>
public sealed record PhysicalLimit(double CommitEventsPerSecond, int CommitRows, string CommitBy, double Serial, double Overlapped, double WithPublish)
{
    public static PhysicalLimit From(IReadOnlyList<CommitCost> commits, BrokerCost broker)
    {
        var best = commits.MaxBy(c => Math.Max(c.ArrayEventsPerSecond, c.CopyEventsPerSecond))!;
        var (commit, by) = best.CopyEventsPerSecond >= best.ArrayEventsPerSecond ? (best.CopyEventsPerSecond, "copy") : (best.ArrayEventsPerSecond, "array");
        var consume = Math.Max(broker.ConsumeAckEach, broker.ConsumeAckBatch);
        return new PhysicalLimit(commit, best.Rows, by, 1 / (1 / consume + 1 / commit), Math.Min(consume, commit),
            1 / (1 / broker.PublishMany + 1 / consume + 1 / commit));
    }
}
