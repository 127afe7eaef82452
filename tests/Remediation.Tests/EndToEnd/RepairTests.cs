using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Cluster;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>The last rung end to end: cordon, an RMA ticket through the webhook, the ticket closing, back to service.</summary>
public sealed class RepairTests(Servers servers) : IClassFixture<Servers>, IAsyncLifetime
{
    private const string CallbackToken = "ticket-system-secret";
    private LoopbackServer _tickets = null!;
    private ServiceUnderTest _service = null!;

    public async Task InitializeAsync()
    {
        _tickets = await LoopbackServer.StartAsync((_, context) => LoopbackServer.Json(context, 201, """{"id":"RMA-4711","url":"https://tickets.example/RMA-4711"}"""));
        _service = await ServiceUnderTest.StartAsync(servers, new Dictionary<string, string?>
        {
            ["Rma:WebhookUrl"] = new Uri(_tickets.Address, "/tickets").ToString(),
            ["Rma:CallbackToken"] = CallbackToken,
        });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _tickets.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_row_remap_goes_to_repair_and_comes_back_when_the_ticket_closes()
    {
        await using var agents = await _service.StartAgentsAsync(["gpu-node-rma"], _ => true);
        await _service.PublishAsync(Faults.Of("gpu-node-rma", "row_remap", "PCI:0000:3b:00"));
        var inRepair = await _service.WaitForNodeAsync("gpu-node-rma", n => ServiceUnderTest.Is(n, "InRepair"));
        Assert.Equal("ticket RMA-4711 https://tickets.example/RMA-4711", inRepair.GetProperty("incident").GetProperty("ticket").GetString());

        var opened = Assert.Single(_tickets.Requests);
        using (var body = JsonDocument.Parse(opened.Body))
        {
            Assert.Equal("gpu-node-rma", body.RootElement.GetProperty("node").GetString());
            Assert.Equal(opened.Headers["Idempotency-Key"], body.RootElement.GetProperty("idempotencyKey").GetString());
            Assert.Contains("row_remap", body.RootElement.GetProperty("faultLines")[0].GetString());
            Assert.Contains(body.RootElement.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "NodeCordoned");
        }

        var closed = await CallbackAsync(new { node = "gpu-node-rma", ticketId = "RMA-4711", resolution = "GPU replaced" }, CallbackToken);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        await _service.WaitForNodeAsync("gpu-node-rma", n => ServiceUnderTest.IsIdle(n, "Healthy"));
        var types = (await _service.TimelineAsync("gpu-node-rma")).Select(e => e.Type).ToList();
        Assert.Equal(["RmaRequested", "RmaClosed", "StepDispatched", "StepSucceeded", "VerificationPassed", "StepDispatched",
            "StepSucceeded", "NodeReturnedToService", "IncidentResolved"], types.SkipWhile(t => t != "RmaRequested"));
    }

    [Fact]
    public async Task The_ticket_callback_needs_its_secret_and_a_node_in_repair()
    {
        var unsigned = await CallbackAsync(new { node = "gpu-node-x", resolution = "done" }, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        var wrong = await CallbackAsync(new { node = "gpu-node-x", resolution = "done" }, "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var noNode = await CallbackAsync(new { resolution = "done" }, CallbackToken);
        Assert.Equal(HttpStatusCode.BadRequest, noNode.StatusCode);
        var notInRepair = await CallbackAsync(new { node = "gpu-node-x", resolution = "done" }, CallbackToken);
        Assert.Equal(HttpStatusCode.Conflict, notInRepair.StatusCode);
        Assert.Contains("only a node InRepair", await notInRepair.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> CallbackAsync(object body, string? token)
    {
        using var http = new HttpClient { BaseAddress = _service.Http.BaseAddress };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.PostAsJsonAsync("/webhooks/rma", body);
    }
}
