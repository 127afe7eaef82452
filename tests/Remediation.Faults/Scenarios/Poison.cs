using System.Text;
using Remediation.Contracts;

namespace Remediation.Faults.Scenarios;

/// <summary>
/// Valid JSON that decodes to what PostgreSQL's jsonb or UTF-8 cannot hold, bodies too large or too deep, control
/// characters in ids, and invalid UTF-8: one of these once stopped every node's remediation for good.
/// </summary>
public static class Poison
{
    private static readonly Func<FaultDetected, byte[]>[] Makers =
    [
        f => Replace(f, "message", "\"fell off\\u0000the bus\""),
        f => Replace(f, "message", "\"half \\ud800 a pair\""),
        f => Replace(f, "message", "\"\\udfff first\""),
        f => Replace(f, "eventId", "\"e\\u0000\""),
        f => Replace(f, "cluster", "\"train\\u0000a\""),
        f => Replace(f, "nodeId", "\"gpu-node\\u0007\""),
        f => Replace(f, "nodeId", "\"gpu-node\\u001b[31m\""),
        f => Replace(f, "device", "\"PCI:0000:3b:00\\n0\""),
        f => Replace(f, "message", $"\"{new string('x', 1_000_000)}\""),
        f => Replace(f, "message", $"\"{new string('x', 9_000)}\""),
        _ => Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)),
        f => Encoding.UTF8.GetBytes($$"""{"messageType":["urn:message:Remediation.Contracts:FaultDetected"],"message":{{Encoding.UTF8.GetString(Replace(f, "message", "\"a\\u0000b\""))}}}"""),
        f => Splice(f, [0xFF]),
        f => Splice(f, [0xC0, 0xAF]),
        f => Splice(f, [0xED, 0xA0, 0x80]),
    ];

    public static int Kinds => Makers.Length;

    public static byte[] Make(Random random, int kind) =>
        Makers[kind % Makers.Length](Workload.Xid($"gpu-node-poison-{random.Next(1000):D4}", 13, "PCI:0000:3b:00.0", "poison"));

    /// <summary>The fault's JSON with one property's raw JSON value replaced, escapes and all, as a hostile agent writes it.</summary>
    private static byte[] Replace(FaultDetected f, string property, string rawValue)
    {
        var json = Encoding.UTF8.GetString(WireJson.Serialize(f with { Message = "m" }));
        var at = json.IndexOf($"\"{property}\":", StringComparison.Ordinal);
        var start = at + property.Length + 3;
        var end = json.IndexOf('"', start + 1) + 1;
        return Encoding.UTF8.GetBytes(json[..start] + rawValue + json[end..]);
    }

    /// <summary>Bytes that are not UTF-8 inside the message string.</summary>
    private static byte[] Splice(FaultDetected f, byte[] bytes)
    {
        var json = WireJson.Serialize(f with { Message = "@@" });
        var at = json.AsSpan().IndexOf("@@"u8);
        return [.. json[..at], .. bytes, .. json[(at + 2)..]];
    }
}
