using Remediation.Agent.Detecting;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Support;

/// <summary>Finds the given faults on its first poll and nothing after.</summary>
public sealed class ScriptedDetector(params FaultDetected[] faults) : IDetector
{
    private int _polls;

    public string Name => "scripted";

    public Task<IReadOnlyList<FaultDetected>> PollAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<FaultDetected>>(Interlocked.Increment(ref _polls) == 1 ? faults : []);
}
