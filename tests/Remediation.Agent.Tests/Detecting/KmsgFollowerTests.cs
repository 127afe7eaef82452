using Remediation.Agent.Detecting.KernelLog;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Detecting;

public sealed class KmsgFollowerTests : IDisposable
{
    private readonly HostTree _host = HostTree.Copy();

    [Fact]
    public async Task Follows_dev_kmsg_under_the_root_and_reports_each_fault_line_once()
    {
        var xid = Fixtures.Line("eduardo-desktop kernel: [ 8659.726062] NVRM: Xid");
        var quiet = Fixtures.Line("nvidia-nvswitch2: open (major=510)");
        _host.Write("/dev/kmsg", quiet + "\n" + xid);
        var found = new List<FaultDetected>();
        using var stop = new CancellationTokenSource();
        var follower = new KmsgFollower(_host.Root, "gpu-node-003", null, TimeProvider.System, TextWriter.Null);

        var run = follower.RunAsync(f => { lock (found) found.Add(f); return Task.CompletedTask; }, stop.Token);
        for (var i = 0; i < 300 && Count(found) == 0; i++) await Task.Delay(100);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var fault = Assert.Single(found);
        Assert.Equal((FaultKinds.Xid, (int?)79, "kmsg"), (fault.Kind, fault.Xid, fault.Source));
    }

    private static int Count(List<FaultDetected> found)
    {
        lock (found) return found.Count;
    }

    public void Dispose() => _host.Dispose();
}
