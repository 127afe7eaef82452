using Remediation.Contracts;

namespace Remediation.Agent.Executing;

/// <summary>One action a runbook step may name. Validates its own arguments before anything runs.</summary>
public interface IStepAction
{
    string Name { get; }

    /// <summary>The argument names this action takes; any other name in a message fails the step.</summary>
    IReadOnlySet<string> Args { get; }

    Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct);
}
