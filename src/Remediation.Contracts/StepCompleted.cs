namespace Remediation.Contracts;

/// <summary>An agent finished a step. <see cref="Outcome"/> is one of <see cref="StepOutcomes"/>.</summary>
public sealed record StepCompleted(
    string CommandId,
    string NodeId,
    string Outcome,
    int? ExitCode,
    string? Output,
    DateTimeOffset FinishedAt);

public static class StepOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string TimedOut = "timed_out";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Succeeded, Failed, TimedOut };
}
