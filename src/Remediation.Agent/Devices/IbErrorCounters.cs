namespace Remediation.Agent.Devices;

/// <summary>
/// The error counters of a port that rise when its link is bad, from <c>/sys/class/infiniband/CA/ports/N/counters</c>
/// (the PortCounters attributes of the IBA spec, as drivers/infiniband/core/sysfs.c names them; prometheus/procfs
/// <c>sysfs/class_infiniband.go</c> reads the same files). Left out on purpose: port_xmit_discards and port_xmit_wait
/// (congestion, not the link), the constraint and switch-relay errors (partitioning and routing), VL15_dropped (subnet
/// management), and the traffic counters.
/// </summary>
public static class IbErrorCounters
{
    public static readonly IReadOnlyList<string> Names =
    [
        "symbol_error", "link_error_recovery", "link_downed", "port_rcv_errors", "port_rcv_remote_physical_errors",
        "local_link_integrity_errors", "excessive_buffer_overrun_errors",
    ];

    /// <summary>The counters the port has, by name; a counter the driver does not provide is absent, not zero.</summary>
    public static IReadOnlyDictionary<string, long> Read(HostRoot root, IbPort port)
    {
        var dir = $"{SysfsPaths.Infiniband}/{port.Ca}/ports/{port.Number}/counters";
        return Names.Select(name => (name, value: root.ReadLong($"{dir}/{name}")))
            .Where(c => c.value is not null).ToDictionary(c => c.name, c => c.value!.Value, StringComparer.Ordinal);
    }

    /// <summary>Each counter that rose from <paramref name="before"/> to <paramref name="after"/>, by how much.</summary>
    public static IReadOnlyList<(string Name, long Before, long After)> Rises(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        Names.Where(n => before.ContainsKey(n) && after.ContainsKey(n) && after[n] > before[n]).Select(n => (n, before[n], after[n])).ToList();
}
