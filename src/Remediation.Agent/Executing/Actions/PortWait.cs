using Remediation.Agent.Devices;

namespace Remediation.Agent.Executing.Actions;

internal static class PortWait
{
    public static async Task<ActionResult> UntilActiveAsync(IbPort port, ActionContext context, CancellationToken ct)
    {
        while (true)
        {
            var now = IbPort.Read(context.Root, port.Ca, port.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (now is { IsActive: true, IsLinkUp: true })
            {
                context.Note($"{port.Name}: {now.State}, {now.PhysState}");
                return context.Succeeded();
            }
            if (context.Remaining <= TimeSpan.Zero)
                return ActionResult.TimedOut(context.Transcript + $"{port.Name} still {now?.State ?? "missing"}, {now?.PhysState} at the deadline\n");
            await Task.Delay(LinkBounce.PollInterval, context.Clock, ct);
        }
    }
}
