namespace Remediation.Service.Pipeline;

/// <summary>Configuration section <c>Budget</c>: how much of the fleet automation may disrupt at once.</summary>
public sealed record BudgetOptions
{
    /// <summary>Nodes in a disruptive step (reboot, driver reload, cordon) at the same time.</summary>
    public int MaxDisruptive { get; init; } = 5;

    /// <summary>Share of the fleet that may be cordoned or in repair.</summary>
    public double MaxOutOfServicePercent { get; init; } = 5;

    /// <summary>
    /// Nodes in the fleet. The service only knows nodes that have reported something, so set this; without it the
    /// known nodes are the fleet, which keeps the limit conservative.
    /// </summary>
    public int? FleetSize { get; init; }

    public int MaxOutOfService(int knownNodes) =>
        Math.Max(1, (int)Math.Floor((FleetSize ?? knownNodes) * MaxOutOfServicePercent / 100));
}
