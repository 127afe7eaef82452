using System.Text;
using System.Text.Json.Nodes;
using Remediation.Contracts;

namespace Remediation.Faults.Scenarios;

/// <summary>Seeded fuzz: broken bytes, broken JSON, and valid JSON that breaks one rule of the contract.</summary>
public static class Malformed
{
    private static readonly Func<Random, FaultDetected, byte[]>[] Makers =
    [
        (r, _) => Bytes(r, r.Next(1, 200)),
        (r, f) => Json(f)[..r.Next(1, Json(f).Length - 1)],
        (_, _) => "[1,2,3]"u8.ToArray(),
        (_, _) => "\"just a string\""u8.ToArray(),
        (_, _) => "null"u8.ToArray(),
        (_, _) => [],
        (_, f) => Without(f, "eventId"),
        (_, f) => Without(f, "nodeId"),
        (_, f) => Without(f, "observedAt"),
        (_, f) => With(f, "nodeId", "gpu node;rm -rf /"),
        (_, f) => With(f, "nodeId", new string('n', 300)),
        (_, f) => With(f, "kind", "cosmic_ray"),
        (_, f) => Without(f, "xid"),
        (_, f) => With(f, "xid", -79),
        (_, f) => With(f, "xid", "seventy-nine"),
        (_, f) => With(f, "observedAt", "yesterday"),
        (_, f) => With(f, "eventId", 42),
        (_, f) => With(f, "eventId", "   "),
        (_, _) => Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
        (_, _) => """{"messageType":["urn:message:Remediation.Contracts:FaultDetected"],"message":null}"""u8.ToArray(),
        (_, f) => Encoding.UTF8.GetBytes($$"""{"messageType":["urn:message:x"],"message":{{Encoding.UTF8.GetString(Without(f, "kind"))}}}"""),
        (_, f) => [.. Json(f)[..20], 0xC3, 0x28, .. Json(f)[20..]],
    ];

    public static int Kinds => Makers.Length;

    public static byte[] Make(Random random, int kind)
    {
        var valid = Workload.Xid($"gpu-node-fuzz-{random.Next(1000):D4}", 13, "PCI:0000:3b:00.0", "fuzz");
        return Makers[kind % Makers.Length](random, valid);
    }

    private static byte[] Json(FaultDetected f) => WireJson.Serialize(f);

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        bytes[0] = (byte)'{'; // looks like JSON at first glance
        return bytes;
    }

    private static byte[] Without(FaultDetected f, string property)
    {
        var node = JsonNode.Parse(Json(f))!.AsObject();
        node.Remove(property);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private static byte[] With(FaultDetected f, string property, JsonNode? value)
    {
        var node = JsonNode.Parse(Json(f))!.AsObject();
        node[property] = value;
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
