using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>reboot</c>: answers "in use" while GPU processes run, otherwise asks the host's systemd to reboot, the way the
/// agent is configured to reach it (<see cref="HostReboot"/>). A process list nvidia-smi cannot give (a GPU off the bus,
/// a hung driver: why nodes get rebooted) does not stop it. Success means the reboot was queued; the runbook's
/// node_health verifies on the new boot.
/// </summary>
public sealed class Reboot : IStepAction
{
    // A hung nvidia-smi must not eat the deadline of the reboot that would cure it.
    private static readonly TimeSpan ListLimit = TimeSpan.FromSeconds(30);

    public string Name => StepActions.Reboot;
    public IReadOnlySet<string> Args { get; } = new HashSet<string>();

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        var apps = await context.RunAsync(GpuCommands.ComputeApps(null), ct, limit: ListLimit);
        if (apps.Succeeded && GpuCommands.Pids(apps.Output) is { Count: > 0 } pids)
            return context.InUse($"GPUs are in use by pid {string.Join(", ", pids)}");
        if (!apps.Succeeded) context.Note("GPU processes could not be listed; the driver is what the reboot is for, so it goes ahead");

        var command = HostReboot.Command(context.RebootVia);
        var result = await context.RunAsync(command, ct);
        if (!result.TimedOut && result.ExitCode != 0) context.Note(HostReboot.Hint(context.RebootVia));
        return context.Check(result, command.ToString()) ?? context.Succeeded();
    }
}
