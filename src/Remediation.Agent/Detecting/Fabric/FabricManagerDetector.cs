using System.Text;
using Remediation.Agent.Detecting.KernelLog;
using Remediation.Contracts;

namespace Remediation.Agent.Detecting.Fabric;

/// <summary>
/// On nodes with NVSwitches, watches Fabric Manager: the service failing (reported once per failure, again if it
/// fails again after coming back) and new lines of its log that report a failed fabric. The log is read from where it
/// ended at the first poll, so an agent restart does not replay old history; a log that shrank was rotated and is
/// read from its start.
/// </summary>
public sealed class FabricManagerDetector(DetectorContext context) : IDetector
{
    public const string Source = "fabricmanager";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const int NoSystemctl = 127;

    // systemctl(1): is-active exits 4 for "no such unit". A node without the unit is not one this agent can restart it
    // on, and restarting or rebooting it would not install it; that is left to whoever provisions the node.
    private const int NoSuchUnit = 4;
    private const int MaxBytesPerPoll = 4 * 1024 * 1024;

    private readonly EdgeTracker _service = context.Tracker(Source);
    private long? _logOffset;

    public string Name => Source;

    public async Task<IReadOnlyList<FaultDetected>> PollAsync(CancellationToken ct)
    {
        if (!FabricManagerService.HasNvSwitches(context.Root)) return [];
        var faults = new List<FaultDetected>();
        var result = await context.Probes.RunAsync(FabricManagerService.IsActive, Timeout, ct);
        if (result.ExitCode is not (NoSystemctl or NoSuchUnit))
        {
            var failure = FabricManagerService.Failure(result);
            Condition[] conditions = failure is null ? [] :
                [new Condition("service", FaultKinds.FabricManager, null, $"{FabricManagerService.Unit} is {failure} (systemctl is-active)")];
            faults.AddRange(_service.Observe(conditions));
        }
        faults.AddRange(NewLogFailures());
        return faults;
    }

    private IEnumerable<FaultDetected> NewLogFailures()
    {
        var path = context.Root.Resolve(FabricManagerService.LogFile);
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        if (_logOffset is not { } offset)
        {
            _logOffset = length;
            return [];
        }
        if (offset > length) offset = 0;
        var buffer = new byte[(int)Math.Min(length - offset, MaxBytesPerPoll)];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        // Only whole lines: one still being written is read on a later poll, unless it alone fills the buffer (junk).
        var end = Array.LastIndexOf(buffer, (byte)'\n');
        if (end < 0)
        {
            if (buffer.Length == MaxBytesPerPoll) _logOffset = offset + buffer.Length;
            return [];
        }
        _logOffset = offset + end + 1;
        return Encoding.UTF8.GetString(buffer, 0, end).Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(FabricManagerLog.ReportsFailure)
            .Select(Fault)
            .ToList();
    }

    private FaultDetected Fault(string line) =>
        new(FaultEventId.For(context.NodeId, line), context.NodeId, FaultKinds.FabricManager, null, null, line,
            FabricManagerLog.ObservedAt(line, context.Clock), Source, context.Cluster);
}
