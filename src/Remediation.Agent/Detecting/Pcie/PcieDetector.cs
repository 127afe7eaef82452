using System.Globalization;
using Remediation.Agent.Devices;
using Remediation.Contracts;

namespace Remediation.Agent.Detecting.Pcie;

/// <summary>
/// PCIe links of GPUs and NICs from sysfs. Width below the maximum is degraded for both. Speed below the maximum
/// is degraded only for NICs: GPUs lower their link speed when idle, which the nvidia-smi detector accounts for.
/// </summary>
public sealed class PcieDetector(DetectorContext context) : IDetector
{
    private readonly EdgeTracker _tracker = context.Tracker("sysfs-pci");

    public string Name => "pcie";

    public Task<IReadOnlyList<FaultDetected>> PollAsync(CancellationToken ct) =>
        Task.FromResult(_tracker.Observe(PciDevice.All(context.Root).Where(d => d.IsNvidiaGpu || d.IsNic).SelectMany(Conditions)));

    private static IEnumerable<Condition> Conditions(PciDevice device)
    {
        if (device.Link is not { } link) yield break;
        var name = device.IsNvidiaGpu ? device.FaultName : "PCI:" + device.Address;
        var what = device.IsNvidiaGpu ? "GPU" : "NIC";
        if (link.CurrentWidth < link.MaxWidth)
            yield return new Condition($"width:{device.Address}", FaultKinds.PcieDegraded, name,
                $"{what} {device.Address} PCIe link x{link.CurrentWidth} of x{link.MaxWidth}");
        if (device.IsNic && link.CurrentSpeed < link.MaxSpeed)
            yield return new Condition($"speed:{device.Address}", FaultKinds.PcieDegraded, name,
                string.Create(CultureInfo.InvariantCulture, $"{what} {device.Address} PCIe link at {link.CurrentSpeed} of {link.MaxSpeed} GT/s"));
    }
}
