namespace Remediation.Agent.Devices;

/// <summary>
/// One port under <c>/sys/class/infiniband/CA/ports/N</c>. The kernel writes <c>state</c> as "4: ACTIVE" and
/// <c>phys_state</c> as "5: LinkUp"; RoCE ports name their netdev in <c>gid_attrs/ndevs/0</c>.
/// </summary>
public sealed record IbPort(string Ca, int Number, string State, string PhysState, string LinkLayer, long? LinkDowned, string? Netdev)
{
    public string Name => $"{Ca}/{Number}";
    public bool IsActive => State.EndsWith("ACTIVE", StringComparison.Ordinal);
    public bool IsLinkUp => PhysState.EndsWith("LinkUp", StringComparison.Ordinal);
    public bool IsEthernet => LinkLayer == "Ethernet";

    public static IReadOnlyList<IbPort> All(HostRoot root) =>
        root.List(SysfsPaths.Infiniband).Where(DeviceArgs.IsCaName)
            .SelectMany(ca => root.List($"{SysfsPaths.Infiniband}/{ca}/ports").Select(port => Read(root, ca, port)))
            .OfType<IbPort>().ToList();

    public static IbPort? Read(HostRoot root, string ca, string port)
    {
        if (!int.TryParse(port, out var number) || number is < 0 or > 255) return null;
        var dir = $"{SysfsPaths.Infiniband}/{ca}/ports/{number}";
        if (root.ReadText($"{dir}/state") is not { } state) return null;
        var netdev = root.ReadText($"{dir}/gid_attrs/ndevs/0") ?? root.List($"{SysfsPaths.Infiniband}/{ca}/device/net").FirstOrDefault();
        return new IbPort(ca, number, state, root.ReadText($"{dir}/phys_state") ?? "", root.ReadText($"{dir}/link_layer") ?? "InfiniBand",
            root.ReadLong($"{dir}/counters/link_downed"), netdev is not null && DeviceArgs.IsNetdevName(netdev) ? netdev : null);
    }

    /// <summary>Carrier changes of the port's netdev: the RoCE counterpart of <c>link_downed</c>.</summary>
    public long? CarrierChanges(HostRoot root) => Netdev is null ? null : root.ReadLong($"{SysfsPaths.Net}/{Netdev}/carrier_changes");
}
