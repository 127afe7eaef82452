using System.Net.Mime;
using MassTransit;

namespace Remediation.Service.Bus;

/// <summary>
/// A message body that goes on the wire exactly as given: the wire contract is WireJson's bytes (any language reads
/// them), and a parked message keeps the body it arrived with.
/// </summary>
public sealed class WireBytes(ReadOnlyMemory<byte> body, string contentType = "application/json")
{
    public ReadOnlyMemory<byte> Body { get; } = body;

    public string ContentType { get; } = contentType;
}

/// <summary>Writes a <see cref="WireBytes"/> body untouched; MassTransit's own serializers would wrap or re-encode it.</summary>
internal sealed class WireBytesSerializer(string contentType) : IMessageSerializer
{
    public ContentType ContentType { get; } = new(contentType);

    public MessageBody GetMessageBody<T>(SendContext<T> context) where T : class =>
        context.Message is WireBytes wire
            ? new BytesMessageBody(wire.Body.ToArray())
            : throw new InvalidOperationException($"{nameof(WireBytesSerializer)} writes {nameof(WireBytes)} only, not {typeof(T).Name}");
}
