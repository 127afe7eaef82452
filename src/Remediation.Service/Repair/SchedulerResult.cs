namespace Remediation.Service.Repair;

/// <summary>
/// What a scheduler action did; <see cref="Output"/> is for the step result and the node's timeline. A cordon whose
/// node still runs work (Slurm MIXED+DRAIN, pods still terminating or held by a disruption budget) is
/// <see cref="Draining"/>: not a failure, the node is not ready for a disruptive step yet.
/// </summary>
public sealed record SchedulerResult(bool Succeeded, string Output, bool Draining = false)
{
    public static SchedulerResult Ok(string output) => new(true, output);

    public static SchedulerResult Failed(string output) => new(false, output);

    public static SchedulerResult StillDraining(string output) => new(false, output, Draining: true);
}
