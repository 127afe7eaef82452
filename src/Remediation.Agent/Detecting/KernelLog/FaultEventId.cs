using System.Security.Cryptography;
using System.Text;

namespace Remediation.Agent.Detecting.KernelLog;

/// <summary>
/// The idempotency key of a fault read from a log: the same node reading the same line again (after an agent
/// restart re-reads the ring buffer) must produce the same id, so the service records the repeat as ignored.
/// </summary>
public static class FaultEventId
{
    public static string For(string nodeId, string line)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(nodeId + "\n" + line), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
