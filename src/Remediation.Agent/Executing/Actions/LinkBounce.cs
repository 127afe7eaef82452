using Remediation.Agent.Devices;
using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>link_bounce</c>: takes the port down and up (<c>ip link</c> for a RoCE port's netdev, <c>ibportstate</c> for an
/// InfiniBand port), then waits until sysfs shows it ACTIVE and LinkUp again. A port that is up carries jobs' traffic:
/// it is bounced only when the service says the node is quarantined (<c>quarantined: yes</c>); otherwise it is left
/// alone and the step says why (a dead port that came back needs no bounce; a flapping one needs the quarantine).
/// </summary>
public sealed class LinkBounce : IStepAction
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public string Name => StepActions.LinkBounce;
    public IReadOnlySet<string> Args { get; } = new HashSet<string> { "port", "quarantined" };

    public static IReadOnlyList<Argv> Commands(IbPort port)
    {
        if (port.IsEthernet && port.Netdev is { } netdev)
            return [Argv.Of("ip", "link", "set", "dev", netdev, "down"), Argv.Of("ip", "link", "set", "dev", netdev, "up")];
        var number = port.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // -D 0 addresses the local port by directed route, which works while the port itself is down.
        return [Argv.Of("ibportstate", "-C", port.Ca, "-P", number, "-D", "0", number, "disable"),
                Argv.Of("ibportstate", "-C", port.Ca, "-P", number, "-D", "0", number, "enable")];
    }

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        var port = context.Devices.Port(step.Args.GetValueOrDefault("port"));
        if (port.Value is null) return context.Failed(port.Error!);
        var quarantined = step.Args.GetValueOrDefault("quarantined") ?? "no";
        if (quarantined is not ("yes" or "no")) return context.Failed("quarantined must be 'yes' or 'no'");
        if (port.Value is { IsActive: true, IsLinkUp: true } && quarantined == "no")
        {
            context.Note($"{port.Value.Name} is up ({port.Value.State}, {port.Value.PhysState}) and the node is not quarantined: " +
                "not bounced, since that would cut the traffic of the jobs using it");
            return context.Succeeded();
        }

        foreach (var command in Commands(port.Value))
        {
            var result = await context.RunAsync(command, ct);
            if (context.Check(result, $"bouncing {port.Value.Name}") is { } failed) return failed;
        }
        if (context.DryRun)
        {
            context.Note($"dry-run: would wait for {port.Value.Name} to be ACTIVE and LinkUp");
            return context.Succeeded();
        }
        return await PortWait.UntilActiveAsync(port.Value, context, ct);
    }
}
