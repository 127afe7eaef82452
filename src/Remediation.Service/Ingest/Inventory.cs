using Remediation.Core.Storms;

namespace Remediation.Service.Ingest;

/// <summary>
/// The fleet's known nodes, when the deployment has a list: with <c>Inventory:FromTopology=true</c> the nodes of
/// <c>Storm:TopologyFile</c>. A fault for a node not on it is parked, so made-up node ids can neither hold the fleet
/// budget nor call a storm. Without a list every well-formed node id is taken.
/// </summary>
public sealed class Inventory(Topology topology, bool enabled)
{
    public string? Refuse(string nodeId) =>
        enabled && !topology.Contains(nodeId) ? $"node '{nodeId}' is not in the inventory (Inventory:FromTopology, {topology.Count} nodes)" : null;
}
