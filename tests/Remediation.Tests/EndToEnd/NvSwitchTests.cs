using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>An NVSwitch SXid through the bus: the fabric ladder's first rung runs on the node's agent.</summary>
public sealed class NvSwitchTests(Servers servers) : ServiceTests(servers)
{
    [Fact]
    public async Task Raw_json_fatal_sxid_restarts_fabric_manager_and_the_timeline_keeps_the_sxid()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-nvs"], _ => true);
        // The line is from leptonai/gpud's SXid README (a host whose NVSwitches lost their links); the fields are what
        // remediation-agent parse prints for it.
        await Service.PublishRawAsync("""
            {"eventId":"8a1d-20034-63","nodeId":"gpu-node-nvs","kind":"sxid","sxid":20034,"link":63,"fatal":true,"device":"PCI:0000:05:00.0",
             "message":"[6781753.404587] nvidia-nvswitch0: SXid (PCI:0000:05:00.0): 20034, Fatal, Link 63 LTSSM Fault Up",
             "observedAt":"2026-11-25T10:00:00Z","source":"kmsg","cluster":"train-a"}
            """);

        await Service.WaitForNodeAsync("gpu-node-nvs", n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 1);

        var timeline = await Service.TimelineAsync("gpu-node-nvs");
        Assert.Equal(
            ["FaultReported", "IncidentOpened", "RunbookStarted", "StepDispatched", "StepSucceeded", "StepDispatched", "StepSucceeded",
             "VerificationPassed", "IncidentResolved"],
            timeline.Select(e => e.Type));
        var reported = timeline[0].Data;
        Assert.Equal((20034, 63, true, "sxid:-:PCI:0000:05:00.0"),
            (reported.GetProperty("sxid").GetInt32(), reported.GetProperty("link").GetInt32(), reported.GetProperty("fatal").GetBoolean(),
                reported.GetProperty("fingerprint").GetString()));
        Assert.Equal("fabric-manager-restart", timeline[2].Data.GetProperty("runbook").GetString());
        Assert.Equal("fabric_manager_restart", timeline[3].Data.GetProperty("action").GetString());
    }
}
