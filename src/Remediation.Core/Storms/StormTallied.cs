namespace Remediation.Core.Storms;

/// <summary>
/// Identical repeats from the nodes a storm holds, counted since the last tally, in the storm's own stream
/// (<see cref="StormWatch.StreamOf"/>). One per storm per flush of counted repeats, never one per fault; the sum of a
/// node's <see cref="StormRepeats"/> is the count its <c>NodeLeftStorm</c> carries.
/// </summary>
public sealed record StormTallied(
    string StormId, long Absorbed, IReadOnlyList<StormRepeats> Repeats, DateTimeOffset FirstAt, DateTimeOffset LastAt, DateTimeOffset TalliedAt);

/// <summary>
/// One node's repeats in a tally; kept this small because a fleet-wide storm names thousands of nodes in each.
/// <paramref name="EventIds"/>: the counted faults' eventIds (the newest, up to NodeState.RememberedEventIds, as a
/// node's FaultRepeated keeps them), so a fault the broker delivers again after its tally committed is not counted twice.
/// </summary>
public sealed record StormRepeats(string NodeId, string Fingerprint, int Count, IReadOnlyList<string>? EventIds = null);
