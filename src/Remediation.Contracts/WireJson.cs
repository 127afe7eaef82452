using System.Text.Json;
using System.Text.Json.Serialization;

namespace Remediation.Contracts;

/// <summary>The one JSON shape every participant speaks: camelCase, nulls left out.</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Serialize<T>(T message) => JsonSerializer.SerializeToUtf8Bytes(message, Options);
}
