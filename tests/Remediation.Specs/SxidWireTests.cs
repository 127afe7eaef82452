using System.Text;

namespace Remediation.Specs;

/// <summary>The optional sxid, link and fatal fields on the wire: read when present, not needed by older publishers.</summary>
public sealed class SxidWireTests
{
    private static FaultDetected Parse(string json)
    {
        Assert.True(WireParser.TryParse<FaultDetected>(Encoding.UTF8.GetBytes(json), out var fault, out var error), error);
        return fault!;
    }

    [Fact]
    public void An_sxid_fault_reads_with_its_number_link_and_verdict()
    {
        var fault = Parse("""
            {"eventId":"e-1","nodeId":"gpu-node-017","kind":"sxid","sxid":20034,"link":63,"fatal":true,"device":"PCI:0000:05:00.0",
             "message":"[6781753.404587] nvidia-nvswitch0: SXid (PCI:0000:05:00.0): 20034, Fatal, Link 63 LTSSM Fault Up",
             "observedAt":"2026-11-25T10:00:00Z","source":"kmsg"}
            """);

        Assert.Equal((FaultKinds.Sxid, (int?)20034, (int?)63, (bool?)true), (fault.Kind, fault.Sxid, fault.Link, fault.Fatal));
        Assert.Null(FaultValidation.Validate(fault));
    }

    [Fact]
    public void A_fault_from_a_publisher_that_predates_the_fields_is_read_as_before()
    {
        var fault = Parse("""
            {"eventId":"6f1c","nodeId":"gpu-node-017","kind":"xid","xid":79,"device":"PCI:0000:3b:00",
             "message":"NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.","observedAt":"2026-11-25T10:00:00Z","source":"kmsg","cluster":"train-a"}
            """);

        Assert.Equal((79, (int?)null, (int?)null, (bool?)null), (fault.Xid, fault.Sxid, fault.Link, fault.Fatal));
        Assert.Null(FaultValidation.Validate(fault));
    }

    [Theory]
    [InlineData("""{"eventId":"e-1","nodeId":"n1","kind":"sxid","observedAt":"2026-11-25T10:00:00Z"}""", "sxid is required when kind is 'sxid'")]
    [InlineData("""{"eventId":"e-1","nodeId":"n1","kind":"sxid","sxid":-1,"observedAt":"2026-11-25T10:00:00Z"}""", "sxid must be positive")]
    [InlineData("""{"eventId":"e-1","nodeId":"n1","kind":"sxid","sxid":20034,"link":-1,"observedAt":"2026-11-25T10:00:00Z"}""", "link must be positive")]
    public void An_sxid_fault_without_a_usable_number_is_refused(string json, string reason) =>
        Assert.Equal(reason, FaultValidation.Validate(Parse(json)));

    [Fact]
    public void Fabric_manager_is_a_kind_on_the_wire() =>
        Assert.Null(FaultValidation.Validate(Parse("""
            {"eventId":"e-1","nodeId":"n1","kind":"fabric_manager","message":"nvidia-fabricmanager is failed (systemctl is-active)",
             "observedAt":"2026-11-25T10:00:00Z","source":"fabricmanager"}
            """)));
}
