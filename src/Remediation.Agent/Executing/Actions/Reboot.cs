using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary><c>reboot</c>: <c>systemctl reboot</c>. Success means the reboot was queued; the runbook's node_health verifies.</summary>
public sealed class Reboot : IStepAction
{
    public static readonly Argv Command = Argv.Of("systemctl", "reboot");

    public string Name => "reboot";
    public IReadOnlySet<string> Args { get; } = new HashSet<string>();

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        var result = await context.RunAsync(Command, ct);
        return context.Check(result, "systemctl reboot") ?? context.Succeeded();
    }
}
