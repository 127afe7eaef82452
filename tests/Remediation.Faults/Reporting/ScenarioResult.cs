namespace Remediation.Faults.Reporting;

/// <summary>One row of the table: what went in, what was committed, what was lost or done twice, how fast it came back.</summary>
public sealed record ScenarioResult(
    string Scenario, long MessagesIn, long EventsCommitted, long Lost, long DuplicatedActions, double? RecoverySeconds, IReadOnlyList<string> Notes)
{
    public bool Passed { get; init; } = Lost == 0 && DuplicatedActions == 0;

    public static ScenarioResult Crashed(string scenario, Exception e) =>
        new(scenario, 0, 0, 0, 0, null,
            [$"the scenario itself failed: {e.GetType().Name}: {e.Message}"
             + (e.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message} {inner.StackTrace?.Split('\n').FirstOrDefault()?.Trim()})" : "")])
        { Passed = false };
}
