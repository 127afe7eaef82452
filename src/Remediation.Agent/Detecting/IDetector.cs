using Remediation.Contracts;

namespace Remediation.Agent.Detecting;

/// <summary>A poll-driven detector: each call returns only the faults that are new since the previous call.</summary>
public interface IDetector
{
    string Name { get; }

    Task<IReadOnlyList<FaultDetected>> PollAsync(CancellationToken ct);
}
