using Remediation.Agent.Devices;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// Watches a port's error counters over a soak: read at the start and at the end, any counter that rose fails the check
/// with its name and by how much. A link that bit errors only under load, or that retrains now and then, passes an
/// instant look at its state but not this. The port must still be up at the end.
/// </summary>
internal static class LinkSoak
{
    public static async Task<ActionResult> WatchAsync(IbPort port, TimeSpan soak, ActionContext context, CancellationToken ct)
    {
        if (soak >= context.Remaining)
            return context.Failed($"a {Seconds(soak)} soak does not fit in the {Seconds(context.Remaining)} left before the step's deadline");
        var before = IbErrorCounters.Read(context.Root, port);
        if (before.Count == 0)
        {
            context.Note($"{port.Name} has no error counters in sysfs: nothing to soak");
            return context.Succeeded();
        }
        context.Note($"soaking {port.Name} for {Seconds(soak)}: {string.Join(", ", before.Select(c => $"{c.Key} {c.Value}"))}");
        await Task.Delay(soak, context.Clock, ct);

        var now = IbPort.Read(context.Root, port.Ca, port.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (now is not { IsActive: true, IsLinkUp: true })
            return context.Failed($"{port.Name} went {now?.State ?? "missing"}, {now?.PhysState} during the {Seconds(soak)} soak");
        var rises = IbErrorCounters.Rises(before, IbErrorCounters.Read(context.Root, port));
        if (rises.Count > 0)
            return context.Failed(string.Join("\n", rises.Select(r =>
                $"{port.Name}: {r.Name} rose by {r.After - r.Before} ({r.Before} -> {r.After}) during the {Seconds(soak)} soak")));
        context.Note($"no error counter of {port.Name} rose during the {Seconds(soak)} soak");
        return context.Succeeded();
    }

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0}s";
}
