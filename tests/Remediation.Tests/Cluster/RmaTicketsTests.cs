using System.Collections.Concurrent;
using System.Text.Json;
using Remediation.Service.Repair.Rma;
using Remediation.Service.Incidents;

namespace Remediation.Tests.Cluster;

public sealed class RmaTicketsTests
{
    private static readonly RmaRequest Request = new(
        CommandId: "cmd-7f3a",
        NodeId: "gpu-node-017",
        IncidentId: "inc-42",
        GpuSerial: "1652223012345",
        GpuUuid: "GPU-8d3f5a3e-6b0a-1c4e-9f0e-2f6a1b7c9d01",
        PciAddress: "0000:3b:00.0",
        FaultLines: ["NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus."],
        Timeline:
        [
            new TimelineEntry(1, DateTimeOffset.Parse("2026-11-25T10:00:00Z"), "FaultReported", new { kind = "xid", xid = 79 }),
            new TimelineEntry(2, DateTimeOffset.Parse("2026-11-25T10:00:01Z"), "IncidentOpened", new { incidentId = "inc-42" }),
        ],
        BugReport: "/var/lib/remediation-agent/evidence/nvidia-bug-report-inc-42.log.gz 4718592 bytes",
        Gpus: [new("0000:3b:00.0", "1652223012345", "GPU-8d3f5a3e-6b0a-1c4e-9f0e-2f6a1b7c9d01"), new("0000:5e:00.0", null, null)]);

    private static RmaTickets Client(LoopbackServer server, string? token = null) =>
        new(new HttpClient(), new RmaOptions { WebhookUrl = new Uri(server.Address, "/rma").ToString(), Token = token });

    [Fact]
    public async Task Posts_the_node_gpu_fault_lines_and_timeline_with_the_idempotency_key_and_returns_the_ticket()
    {
        await using var server = await LoopbackServer.StartAsync((_, c) => LoopbackServer.Json(c, 201, """{"id":"RMA-1001","url":"https://tickets.example/RMA-1001"}"""));

        var ticket = await Client(server, token: "rma-secret").OpenAsync(Request, CancellationToken.None);

        Assert.Equal(new RmaTicket("RMA-1001", "https://tickets.example/RMA-1001"), ticket);
        var received = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/rma"), (received.Method, received.Path));
        Assert.Equal("cmd-7f3a", received.Headers["Idempotency-Key"]);
        Assert.Equal("Bearer rma-secret", received.Headers["Authorization"]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"]);
        var body = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("cmd-7f3a", body.GetProperty("idempotencyKey").GetString());
        Assert.Equal("gpu-node-017", body.GetProperty("node").GetString());
        Assert.Equal("inc-42", body.GetProperty("incidentId").GetString());
        Assert.Equal("1652223012345", body.GetProperty("gpu").GetProperty("serial").GetString());
        Assert.Equal("GPU-8d3f5a3e-6b0a-1c4e-9f0e-2f6a1b7c9d01", body.GetProperty("gpu").GetProperty("uuid").GetString());
        Assert.Equal("0000:3b:00.0", body.GetProperty("gpu").GetProperty("pci").GetString());
        Assert.Contains("GPU has fallen off the bus", body.GetProperty("faultLines")[0].GetString());
        var timeline = body.GetProperty("timeline");
        Assert.Equal(["FaultReported", "IncidentOpened"], timeline.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(79, timeline[0].GetProperty("data").GetProperty("xid").GetInt32());
        Assert.Equal("/var/lib/remediation-agent/evidence/nvidia-bug-report-inc-42.log.gz 4718592 bytes", body.GetProperty("bugReport").GetString());
        Assert.Equal(["0000:3b:00.0", "0000:5e:00.0"], body.GetProperty("gpus").EnumerateArray().Select(g => g.GetProperty("pci").GetString()));
        Assert.Equal("1652223012345", body.GetProperty("gpus")[0].GetProperty("serial").GetString());
    }

    [Fact]
    public async Task A_redispatch_sends_the_same_key_so_a_deduplicating_ticket_system_opens_one_ticket()
    {
        var tickets = new ConcurrentDictionary<string, string>();
        await using var server = await LoopbackServer.StartAsync((r, c) =>
        {
            var id = tickets.GetOrAdd(r.Headers["Idempotency-Key"], _ => $"RMA-{tickets.Count + 1}");
            return LoopbackServer.Json(c, 200, $$"""{"ticketId":"{{id}}"}""");
        });
        var client = Client(server);

        var first = await client.OpenAsync(Request, CancellationToken.None);
        var again = await client.OpenAsync(Request, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Single(tickets);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization")));
    }

    [Fact]
    public async Task A_numeric_ticket_id_is_read_as_text()
    {
        await using var server = await LoopbackServer.StartAsync((_, c) => LoopbackServer.Json(c, 201, """{"ticketId":90210}"""));

        Assert.Equal("90210", (await Client(server).OpenAsync(Request, CancellationToken.None)).Id);
    }

    [Theory]
    [InlineData(500, """{"error":"database down"}""", "answered 500 Internal Server Error: {\"error\":\"database down\"}")]
    [InlineData(401, "", "answered 401 Unauthorized")]
    [InlineData(201, "<html>ok</html>", "answered 201 but not with JSON: <html>ok</html>")]
    [InlineData(201, """{"status":"created"}""", "answered 201 without a ticket id")]
    [InlineData(200, """["RMA-1"]""", "answered 200 without a ticket id")]
    public async Task Failures_say_what_the_webhook_answered(int status, string body, string expected)
    {
        await using var server = await LoopbackServer.StartAsync((_, c) => LoopbackServer.Json(c, status, body));

        var error = await Assert.ThrowsAsync<RmaTicketException>(() => Client(server).OpenAsync(Request, CancellationToken.None));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Without_a_configured_webhook_opening_fails_and_says_which_setting()
    {
        var client = new RmaTickets(new HttpClient(), new RmaOptions());

        var error = await Assert.ThrowsAsync<RmaTicketException>(() => client.OpenAsync(Request, CancellationToken.None));

        Assert.Contains("Rma:WebhookUrl is not configured", error.Message);
    }

    [Fact]
    public async Task An_unreachable_webhook_is_a_clear_error()
    {
        Uri address;
        await using (var server = await LoopbackServer.StartAsync((_, c) => LoopbackServer.Json(c, 201, "{}")))
            address = server.Address;
        var client = new RmaTickets(new HttpClient(), new RmaOptions { WebhookUrl = new Uri(address, "/rma").ToString() });

        var error = await Assert.ThrowsAsync<RmaTicketException>(() => client.OpenAsync(Request, CancellationToken.None));

        Assert.Contains("could not be reached", error.Message);
    }
}
