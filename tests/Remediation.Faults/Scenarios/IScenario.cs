using Remediation.Faults.Reporting;

namespace Remediation.Faults.Scenarios;

public interface IScenario
{
    string Name { get; }

    Task<ScenarioResult> RunAsync(Scene scene, CancellationToken ct);
}
