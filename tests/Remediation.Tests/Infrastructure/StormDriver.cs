using System.Text.Json;

namespace Remediation.Tests.Infrastructure;

/// <summary>What the storm tests do alike: call a driver-bug storm one node at a time, then wait for it to let go.</summary>
public static class StormDriver
{
    /// <summary>One Xid per node, each decided before the next, so the storm is called on a known node (the threshold's).</summary>
    public static async Task CallAsync(ServiceUnderTest service, IEnumerable<string> nodes, int xid)
    {
        foreach (var node in nodes)
        {
            await service.PublishAsync(Faults.Xid(node, xid));
            await service.WaitForNodeAsync(node, n => n.GetProperty("version").GetInt64() >= 1);
        }
    }

    /// <summary>Until the storm let go of each node it took on its first fault: the join and the let-go, two events.</summary>
    public static async Task LetGoAsync(ServiceUnderTest service, IEnumerable<string> held, int seconds = 30)
    {
        foreach (var node in held)
            await service.WaitForNodeAsync(node, n => n.GetProperty("inStorm").ValueKind == JsonValueKind.Null
                && n.GetProperty("version").GetInt64() >= 2, seconds);
    }
}
