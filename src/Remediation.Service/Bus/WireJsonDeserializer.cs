using System.Net.Mime;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;

namespace Remediation.Service.Bus;

/// <summary>
/// MassTransit's raw JSON deserializer for plain-JSON bodies, except that a body which is not a JSON object reaches
/// the consumer (as an empty object) instead of failing before it: the consumer reads the untouched body with the wire
/// parser, so bad input is parked in arrival order, with the parser's reason, like any other.
/// </summary>
internal sealed class WireJsonDeserializer(SystemTextJsonRawMessageSerializer inner) : IMessageDeserializer
{
    private static readonly MessageBody EmptyObject = new BytesMessageBody("{}"u8.ToArray());

    public ContentType ContentType => inner.ContentType;

    public void Probe(ProbeContext context) => inner.Probe(context);

    public ConsumeContext Deserialize(ReceiveContext receiveContext) =>
        new BodyConsumeContext(receiveContext, Deserialize(receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress));

    public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null) =>
        inner.Deserialize(IsObject(body.GetBytes()) ? body : EmptyObject, headers, destinationAddress);

    public MessageBody GetMessageBody(string text) => inner.GetMessageBody(text);

    private static bool IsObject(byte[] body)
    {
        // The reader leaves string contents undecoded; a body that is not UTF-8 fails later, outside any consumer.
        if (!System.Text.Unicode.Utf8.IsValid(body)) return false;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>Registers <see cref="WireJsonDeserializer"/> for <c>application/json</c> and bodies without a content type.</summary>
internal sealed class WireJsonSerializerFactory : ISerializerFactory
{
    private readonly SystemTextJsonRawMessageSerializer _raw = new(RawSerializerOptions.All);

    public ContentType ContentType => _raw.ContentType;

    public IMessageSerializer CreateSerializer() => _raw;

    public IMessageDeserializer CreateDeserializer() => new WireJsonDeserializer(_raw);
}
