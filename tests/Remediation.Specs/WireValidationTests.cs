using System.Text;

namespace Remediation.Specs;

/// <summary>What the wire contract refuses: text PostgreSQL or UTF-8 cannot hold, control characters in ids, oversize fields.</summary>
public sealed class WireValidationTests
{
    private static readonly FaultDetected Good = new("e-1", "gpu-node-1", FaultKinds.Xid, 79, "PCI:0000:3b:00", "fell off the bus",
        DateTimeOffset.Parse("2026-11-25T10:00:00Z"), "kmsg", "train-a");

    [Fact]
    public void A_real_fault_is_valid() => Assert.Null(FaultValidation.Validate(Good));

    [Theory]
    [InlineData("message", "a\0b", "message contains a NUL character at 1")]
    [InlineData("eventId", "e\u001b[2J", "eventId contains control character U+001B at 1")]
    [InlineData("device", "PCI\n0000", "device contains control character U+000A at 3")]
    [InlineData("cluster", "a\u0085b", "cluster contains control character U+0085 at 1")]
    public void Text_the_store_cannot_hold_is_refused_with_the_field_and_place(string field, string value, string reason)
    {
        var fault = field switch
        {
            "message" => Good with { Message = value },
            "eventId" => Good with { EventId = value },
            "device" => Good with { Device = value },
            _ => Good with { Cluster = value },
        };
        Assert.Equal(reason, FaultValidation.Validate(fault));
    }

    // Attribute arguments cannot carry a lone surrogate (metadata is UTF-8), so these are built here.
    [Fact]
    public void Unpaired_surrogates_are_refused()
    {
        Assert.Equal("message contains an unpaired surrogate U+D800 at 1", FaultValidation.Validate(Good with { Message = "a" + '\ud800' + "b" }));
        Assert.Equal("message contains an unpaired surrogate U+DC00 at 1", FaultValidation.Validate(Good with { Message = "a" + '\udc00' }));
        Assert.Equal("message contains an unpaired surrogate U+D83D at 1", FaultValidation.Validate(Good with { Message = "a" + '\ud83d' }));
    }

    [Fact]
    public void Emoji_and_tabs_in_a_message_are_fine() => Assert.Null(FaultValidation.Validate(Good with { Message = "GPU 🔥\tline\nnext" }));

    [Fact]
    public void Fields_over_their_cap_are_refused()
    {
        Assert.Equal("message is 8193 characters long (at most 8192)", FaultValidation.Validate(Good with { Message = new string('x', 8193) }));
        Assert.Equal("eventId is 257 characters long (at most 256)", FaultValidation.Validate(Good with { EventId = new string('e', 257) }));
        var result = new StepCompleted("c-1", "gpu-node-1", StepOutcomes.Succeeded, 0, new string('o', WireLimits.MaxOutputLength + 1), Good.ObservedAt);
        Assert.Equal("output is 65537 characters long (at most 65536)", FaultValidation.Validate(result));
    }

    [Fact]
    public void A_body_over_the_size_limit_is_not_even_parsed()
    {
        var body = new byte[WireLimits.MaxBodyBytes + 1];
        Assert.False(WireParser.TryParse<FaultDetected>(body, out _, out var error));
        Assert.Equal($"body is {WireLimits.MaxBodyBytes + 1} bytes (at most {WireLimits.MaxBodyBytes})", error);
    }

    [Theory]
    [InlineData("""{"eventId":"e","nodeId":"n","kind":"xid","xid":1,"message":"\ud800","observedAt":"2026-11-25T10:00:00Z"}""")]
    [InlineData("""{"eventId":"e","nodeId":"n","kind":"xid","xid":1,"message":"\udfff x","observedAt":"2026-11-25T10:00:00Z"}""")]
    public void An_unpaired_surrogate_escape_is_refused_by_the_parser_or_the_validator(string json)
    {
        var parsed = WireParser.TryParse<FaultDetected>(Encoding.UTF8.GetBytes(json), out var fault, out var error);
        var reason = parsed ? FaultValidation.Validate(fault!) : error;
        Assert.NotNull(reason);
        Assert.True(reason.Contains("surrogate") || reason.Contains("UTF-16") || reason.Contains("transcode"), reason);
    }

    [Fact]
    public void Invalid_utf8_is_refused_with_the_decoders_reason()
    {
        byte[] body = [.. "{\"eventId\":\"e\",\"nodeId\":\"n\",\"kind\":\"xid\",\"xid\":1,\"message\":\""u8, 0xC3, 0x28, .. "\",\"observedAt\":\"2026-11-25T10:00:00Z\"}"u8];
        Assert.False(WireParser.TryParse<FaultDetected>(body, out _, out var error));
        Assert.Contains("UTF-8", error);
    }

    [Fact]
    public void Ten_thousand_nested_arrays_are_refused_not_recursed()
    {
        var body = Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000));
        Assert.False(WireParser.TryParse<FaultDetected>(body, out _, out var error));
        Assert.Contains("maximum configured depth", error);
    }

    [Fact]
    public void Output_is_cleaned_to_fit_rather_than_refused()
    {
        var cleaned = WireText.Clean("ok\0\ud800" + new string('z', WireLimits.MaxOutputLength));
        Assert.Null(WireText.Problem("output", cleaned, WireLimits.MaxOutputLength));
        Assert.StartsWith("[…]\n", cleaned);
        Assert.EndsWith("zzz", cleaned);
        Assert.Equal("a\uFFFDb\uFFFD", WireText.Clean("a\0b\udc00"));
        Assert.Equal("plain", WireText.Clean("plain"));
    }
}
