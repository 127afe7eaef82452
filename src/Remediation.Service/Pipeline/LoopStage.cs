namespace Remediation.Service.Pipeline;

/// <summary>
/// The parts of one turn of the decision loop, as <c>remediation_loop_seconds_total{stage}</c> counts them. The loop is
/// one task, so over a window the stages add up to its wall time: what a stage takes from the others is the figure.
/// </summary>
public static class LoopStage
{
    /// <summary>Waiting for an input (or the tick) with nothing to do.</summary>
    public const string Wait = "wait";

    /// <summary>Re-reading the pause, the fleet budget and the storms other instances called (every couple of seconds).</summary>
    public const string Controls = "controls";

    /// <summary>Loading the states of nodes not cached, and the tallies of storms before a flush.</summary>
    public const string Load = "load";

    /// <summary>Deciding the batch in memory: no I/O.</summary>
    public const string Decide = "decide";

    /// <summary>The fleet-budget claim: a transaction lock and a recount, only for batches that start disruptive steps.</summary>
    public const string Claim = "claim";

    /// <summary>Events, stream versions, node documents, storms and statistics sent to PostgreSQL.</summary>
    public const string Write = "write";

    /// <summary>The transaction's COMMIT: the WAL flush.</summary>
    public const string Commit = "commit";

    /// <summary>What a commit owes once it stands: the cache, deadlines, held repeats, replies and acknowledgements.</summary>
    public const string AfterCommit = "after_commit";

    /// <summary>Publishing the committed step commands and nudges.</summary>
    public const string Deliver = "deliver";

    public static readonly IReadOnlyList<string> All = [Wait, Controls, Load, Decide, Claim, Write, Commit, AfterCommit, Deliver];
}
