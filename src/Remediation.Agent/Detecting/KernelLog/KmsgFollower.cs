using System.Text;
using Remediation.Agent.Devices;
using Remediation.Contracts;

namespace Remediation.Agent.Detecting.KernelLog;

/// <summary>
/// Follows <c>/dev/kmsg</c> (under the host root) from the oldest record still in the ring buffer. Records read again
/// after a restart carry the same event ids, so the service ignores them. Each read of /dev/kmsg returns one record;
/// one overwritten before we read it makes the read fail, and we go on from the next.
/// </summary>
public sealed class KmsgFollower(HostRoot root, string nodeId, string? cluster, TimeProvider clock, TextWriter log)
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    public Task RunAsync(Func<FaultDetected, Task> report, CancellationToken ct) =>
        Task.Factory.StartNew(() => Follow(report, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task Follow(Func<FaultDetected, Task> report, CancellationToken ct)
    {
        var path = root.Resolve(SysfsPaths.Kmsg);
        if (!File.Exists(path))
        {
            log.WriteLine($"kmsg: {path} not found; kernel log detection off");
            return;
        }
        var parser = new KernelLogParser(nodeId, cluster, clock);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false), false, bufferSize: 16 * 1024);
        while (!ct.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (IOException)
            {
                continue;
            }
            // End of a regular file (a test tree, a replayed log): wait for more, as tail -f does.
            if (line is null)
            {
                await Task.Delay(IdleWait, clock, ct);
                continue;
            }
            if (parser.Parse(line) is { } fault) await report(fault);
        }
        // Stopped between reads ends the same way as stopped while waiting: cancelled, not finished.
        ct.ThrowIfCancellationRequested();
    }
}
