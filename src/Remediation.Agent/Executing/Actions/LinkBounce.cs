using Remediation.Agent.Devices;
using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>link_bounce</c>: takes the port down and up (<c>ip link</c> for a RoCE port's netdev, <c>ibportstate</c> for an
/// InfiniBand port), then waits until sysfs shows it ACTIVE and LinkUp again.
/// </summary>
public sealed class LinkBounce : IStepAction
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public string Name => "link_bounce";
    public IReadOnlySet<string> Args { get; } = new HashSet<string> { "port" };

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
