using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary><c>link_check</c>: the port is ACTIVE and LinkUp in sysfs. Reads only, so it runs in dry-run too.</summary>
public sealed class LinkCheck : IStepAction
{
    public string Name => StepActions.LinkCheck;
    public IReadOnlySet<string> Args { get; } = new HashSet<string> { "port" };

    public Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        var port = context.Devices.Port(step.Args.GetValueOrDefault("port"));
        if (port.Value is not { } p) return Task.FromResult(context.Failed(port.Error!));
        context.Note($"{p.Name}: {p.State}, {p.PhysState}, link_downed {p.LinkDowned?.ToString() ?? "n/a"}");
        return Task.FromResult(p is { IsActive: true, IsLinkUp: true } ? context.Succeeded() : context.Failed($"{p.Name} is not ACTIVE/LinkUp"));
    }
}
