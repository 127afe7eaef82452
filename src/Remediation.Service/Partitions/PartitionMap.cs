using Remediation.Core.Storms;

namespace Remediation.Service.Partitions;

/// <summary>
/// Which partition a node's inputs go to. Nodes under one leaf switch (else one rack) share a partition, so one
/// instance sees a whole switch's link faults and can call a storm; nodes the topology does not know go by their id.
/// The hash is FNV-1a: stable across processes and versions, unlike <see cref="string.GetHashCode()"/>.
/// </summary>
public sealed class PartitionMap(int count, Topology topology)
{
    public int Count => count;

    public IEnumerable<int> All => Enumerable.Range(0, count);

    public int Of(string nodeId)
    {
        var (rack, leaf) = topology.Of(nodeId);
        return (int)(Fnv1a(leaf ?? rack ?? nodeId) % (uint)count);
    }

    public static string Queue(int partition) => $"remediation.partition.{partition:D3}";

    /// <summary>FNV-1a: the same number for the same text in every process and version.</summary>
    public static uint Fnv1a(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return hash;
    }
}
