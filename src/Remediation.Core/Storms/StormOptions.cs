namespace Remediation.Core.Storms;

/// <summary>Configuration section <c>Storm</c>: when many nodes faulting alike are one problem, not many.</summary>
public sealed record StormOptions
{
    /// <summary>How close together the faults must come, and how long a storm stays open after its last fault.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Distinct nodes under one switch or rack with link faults in the window that make a fabric incident.</summary>
    public int FabricNodes { get; init; } = 4;

    /// <summary>Distinct nodes with the same Xid in the window that look like a driver or firmware bug.</summary>
    public int XidNodes { get; init; } = 10;

    /// <summary>A CSV of <c>node,rack,switch</c> lines (a header line is fine) naming where each node sits.</summary>
    public string? TopologyFile { get; init; }
}
