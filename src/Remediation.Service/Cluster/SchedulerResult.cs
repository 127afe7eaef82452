namespace Remediation.Service.Cluster;

/// <summary>What a scheduler action did; <see cref="Output"/> is for the step result and the node's timeline.</summary>
public sealed record SchedulerResult(bool Succeeded, string Output)
{
    public static SchedulerResult Ok(string output) => new(true, output);

    public static SchedulerResult Failed(string output) => new(false, output);
}
