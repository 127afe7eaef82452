using Remediation.Contracts;

namespace Remediation.Tests.Infrastructure;

public static class Faults
{
    public static FaultDetected Xid(string node, int xid, string device = "PCI:0000:3b:00", string? eventId = null) =>
        new(eventId ?? Guid.NewGuid().ToString(), node, FaultKinds.Xid, xid, device,
            $"NVRM: Xid ({device}): {xid}, pid=1234, name=python", DateTimeOffset.UtcNow, "kmsg", "test");

    public static FaultDetected Of(string node, string kind, string device) =>
        new(Guid.NewGuid().ToString(), node, kind, null, device, $"{kind} on {device}", DateTimeOffset.UtcNow, "test", "test");
}
