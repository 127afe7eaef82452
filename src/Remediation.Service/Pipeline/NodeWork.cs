using Remediation.Core.Nodes;

namespace Remediation.Service.Pipeline;

/// <summary>A node's events decided in the current batch, on top of the state they were decided from.</summary>
public sealed class NodeWork(NodeState loaded)
{
    public NodeState Loaded { get; } = loaded;
    public long LoadedVersion => Loaded.Version;
    public NodeState State { get; private set; } = loaded;
    public List<object> Events { get; } = [];

    public void Add(IReadOnlyList<object> events, NodeState after)
    {
        Events.AddRange(events);
        State = after;
    }
}
