namespace Remediation.Agent.Devices;

/// <summary>
/// Turns a device named in a message into one that exists on this node, or says why it cannot. What reaches a
/// command line is always the name read back from sysfs, never the message's text.
/// </summary>
public sealed class DeviceResolver(HostRoot root)
{
    public IReadOnlyList<PciDevice> Gpus() =>
        PciDevice.All(root).Where(d => d.IsNvidiaGpu).OrderBy(d => d.Address, StringComparer.Ordinal).ToList();

    /// <summary>A GPU by PCI address in any usual form, or by index in PCI bus order (nvidia-smi's default order).</summary>
    public Resolved<PciDevice> Gpu(string? arg)
    {
        if (string.IsNullOrEmpty(arg)) return Resolved<PciDevice>.Fail("no GPU named (args.device is missing)");
        var gpus = Gpus();
        if (DeviceArgs.IsGpuIndex(arg))
        {
            var index = int.Parse(arg);
            return index < gpus.Count
                ? Resolved<PciDevice>.Ok(gpus[index])
                : Resolved<PciDevice>.Fail($"GPU index {index} does not exist on this node ({gpus.Count} GPUs)");
        }
        if (DeviceArgs.CanonicalPci(arg) is not { } address)
            return Resolved<PciDevice>.Fail($"'{DeviceArgs.Shown(arg)}' is not a GPU index or PCI address");
        // Xid lines name the device without a function: the GPU is function 0.
        var gpu = gpus.FirstOrDefault(g => g.Address == address);
        return gpu is null
            ? Resolved<PciDevice>.Fail($"no NVIDIA GPU at PCI {address} on this node")
            : Resolved<PciDevice>.Ok(gpu);
    }

    /// <summary>An InfiniBand/RoCE port by <c>mlx5_0/1</c>, or by the PCI function the kernel's mlx5 lines name.</summary>
    public Resolved<IbPort> Port(string? arg)
    {
        if (string.IsNullOrEmpty(arg)) return Resolved<IbPort>.Fail("no port named (args.port is missing)");
        if (DeviceArgs.ParsePortName(arg) is { } name)
        {
            var port = IbPort.Read(root, name.Ca, name.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return port is null
                ? Resolved<IbPort>.Fail($"no InfiniBand port {name.Ca}/{name.Port} on this node")
                : Resolved<IbPort>.Ok(port);
        }
        if (DeviceArgs.CanonicalPci(arg) is { } address)
        {
            var ca = root.List($"{SysfsPaths.PciDevices}/{address}/infiniband").FirstOrDefault(DeviceArgs.IsCaName);
            var port = ca is null ? null : root.List($"{SysfsPaths.Infiniband}/{ca}/ports").Select(p => IbPort.Read(root, ca, p)).OfType<IbPort>().FirstOrDefault();
            return port is null
                ? Resolved<IbPort>.Fail($"no InfiniBand port on PCI {address} on this node")
                : Resolved<IbPort>.Ok(port);
        }
        return Resolved<IbPort>.Fail($"'{DeviceArgs.Shown(arg)}' is not a port name (mlx5_0/1) or PCI address");
    }
}

public sealed record Resolved<T>(T? Value, string? Error) where T : class
{
    public static Resolved<T> Ok(T value) => new(value, null);
    public static Resolved<T> Fail(string error) => new(null, error);
}
