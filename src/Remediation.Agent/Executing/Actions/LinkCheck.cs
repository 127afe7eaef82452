using System.Globalization;
using Remediation.Agent.Devices;
using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>link_check</c>: the port is ACTIVE and LinkUp; it runs at its expected rate and width (the step's <c>rate</c>,
/// else the rate the node's inventory recorded for it; with neither, rate is only reported); and, with <c>soak</c>, none
/// of its error counters rises while it is watched that long (<see cref="LinkSoak"/>). A link that came back at 1X, or
/// that keeps taking symbol errors, is not a repaired link. Reads only, so it runs in dry-run too.
/// </summary>
public sealed class LinkCheck : IStepAction
{
    public string Name => StepActions.LinkCheck;
    public IReadOnlySet<string> Args { get; } = new HashSet<string> { "port", "rate", "soak" };

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        var port = context.Devices.Port(step.Args.GetValueOrDefault("port"));
        if (port.Value is not { } p) return context.Failed(port.Error!);
        var (soak, soakError) = SoakArg.Parse(step.Args.GetValueOrDefault("soak"));
        if (soakError is not null) return context.Failed(soakError);
        var actual = IbRate.Of(context.Root, p);
        context.Note($"{p.Name}: {p.State}, {p.PhysState}, {actual?.ToString() ?? "rate unknown"}, link_downed {p.LinkDowned?.ToString(CultureInfo.InvariantCulture) ?? "n/a"}");
        if (p is not { IsActive: true, IsLinkUp: true }) return context.Failed($"{p.Name} is not ACTIVE/LinkUp");

        string? expectedFrom;
        IbRate? expected;
        try
        {
            (expected, expectedFrom) = Expected(step.Args.GetValueOrDefault("rate"), context, p);
        }
        catch (InvalidDataException e)
        {
            return context.Failed(e.Message);
        }
        if (expected is null) context.Note($"no expected rate for {p.Name} (no rate argument, none in the node's inventory): rate not compared");
        else if (actual is null) return context.Failed($"{p.Name} reports no rate; expected {expected} ({expectedFrom})");
        else if (actual.ShortOf(expected) is { } gap) return context.Failed($"{p.Name} runs at {actual}, expected {expected} ({expectedFrom}): {gap}");

        return soak is { } watch ? await LinkSoak.WatchAsync(p, watch, context, ct) : context.Succeeded();
    }

    private static (IbRate? Rate, string? From) Expected(string? arg, ActionContext context, IbPort port)
    {
        if (arg is not null)
            return IbRate.Parse(arg) is { } given ? (given, "the step's rate")
                : throw new InvalidDataException($"rate '{DeviceArgs.Shown(arg)}' is not a rate like 400 or \"400 Gb/sec (4X NDR)\"");
        if (context.InventoryPath is not { } path || NodeInventory.Load(path) is not { } inventory) return (null, null);
        return inventory.Ports?.GetValueOrDefault(port.Name) is { } recorded && IbRate.Parse(recorded) is { } rate
            ? (rate, $"the node's inventory, {inventory.Source} {inventory.TakenAt:u}")
            : (null, null);
    }
}
