using Remediation.Agent.Detecting.Fabric;
using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>fabric_manager_restart</c>: restarts the nvidia-fabricmanager unit and checks systemd reports it active again.
/// Refuses on a node without NVSwitches, where Fabric Manager has nothing to manage and a restart fixes nothing.
/// </summary>
public sealed class FabricManagerRestart : IStepAction
{
    public string Name => StepActions.FabricManagerRestart;
    public IReadOnlySet<string> Args { get; } = new HashSet<string>();

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        if (!FabricManagerService.HasNvSwitches(context.Root))
            return context.Failed($"neither {FabricManagerService.ProcDevices} nor {FabricManagerService.ControlDevice} lists an NVSwitch: " +
                "this node has no NVSwitches for Fabric Manager to manage");
        var restart = await context.RunAsync(FabricManagerService.Restart, ct);
        if (context.Check(restart, $"restarting {FabricManagerService.Unit}") is { } failed) return failed;
        var state = await context.RunAsync(FabricManagerService.IsActive, ct);
        if (context.DryRun) return context.Succeeded();
        return FabricManagerService.Failure(state) is { } failure
            ? context.Failed($"{FabricManagerService.Unit} is {failure} after the restart", state.ExitCode)
            : context.Succeeded();
    }
}
