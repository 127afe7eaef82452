using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Cluster;

/// <summary>Alertmanager's webhook into the running service, through RabbitMQ and the decision loop, into the timeline.</summary>
public sealed class AlertmanagerWebhookTests(Servers servers) : IClassFixture<Servers>, IAsyncLifetime
{
    private const string Token = "am-test-token";
    private ServiceUnderTest _service = null!;

    public async Task InitializeAsync() =>
        _service = await ServiceUnderTest.StartAsync(servers, new Dictionary<string, string?> { ["Alertmanager:Token"] = Token });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(byte[] body, string? token = Token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/alertmanager") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return _service.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_firing_xid_alert_lands_in_the_nodes_timeline_and_alertmanagers_repeat_is_ignored()
    {
        var response = await PostAsync(AlertFixtures.Bytes("alertmanager-v4-dcgm.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, answer.GetProperty("published").GetArrayLength());
        Assert.Equal("gpu-node-am4", answer.GetProperty("resolved")[0].GetProperty("nodeId").GetString());

        await _service.WaitForNodeAsync("gpu-node-am1", _ => true);
        var reported = (await _service.TimelineAsync("gpu-node-am1"))[0];
        Assert.Equal("FaultReported", reported.Type);
        Assert.Equal("xid", reported.Data.GetProperty("kind").GetString());
        Assert.Equal(79, reported.Data.GetProperty("xid").GetInt32());
        Assert.Equal("alertmanager:5bd7c0b3f6d1a2e4:2026-11-25T10:00:00.1230000Z", reported.Data.GetProperty("eventId").GetString());
        Assert.Equal("PCI:00000000:3B:00.0", reported.Data.GetProperty("device").GetString());
        await _service.WaitForNodeAsync("gpu-node-am2", _ => true);
        Assert.Equal("ecc", (await _service.TimelineAsync("gpu-node-am2"))[0].Data.GetProperty("kind").GetString());

        // Alertmanager sends a still-firing group again every repeat_interval.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(AlertFixtures.Bytes("alertmanager-v4-dcgm.json"))).StatusCode);

        var timeline = await WaitForTimelineAsync("gpu-node-am1", t => t.Any(e => e.Type == "FaultIgnored"));
        Assert.Single(timeline, e => e.Type == "FaultReported");
        // A resolved alert is recorded on its node's timeline and changes nothing else.
        var resolved = await _service.TimelineAsync("gpu-node-am4");
        Assert.All(resolved, e => Assert.Equal("AlertResolved", e.Type));
        Assert.Equal("alertmanager", resolved[0].Data.GetProperty("causedBy").GetString());
        Assert.Equal("Healthy", (await _service.NodeAsync("gpu-node-am4")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Malformed_payloads_get_400_with_the_reason()
    {
        var response = await PostAsync("""{"version":"3","alerts":[]}"""u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unsupported payload version '3'", await response.Content.ReadAsStringAsync());
        var garbage = await PostAsync("{not json"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains("malformed JSON", await garbage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Requests_without_the_token_or_with_a_wrong_one_get_401_and_publish_nothing()
    {
        var none = await PostAsync(AlertFixtures.Bytes("alertmanager-v4-dcgm.json"), token: null);
        var wrong = await PostAsync(AlertFixtures.Bytes("alertmanager-v4-dcgm.json"), token: "am-test-tokem");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("wrong bearer token", await wrong.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        // A fault that goes through after them proves the pipeline ran; the refused ones left no trace.
        await _service.PublishAsync(Faults.Xid("gpu-node-after-401", 13));
        await _service.WaitForNodeAsync("gpu-node-after-401", _ => true);
        Assert.Equal(HttpStatusCode.NotFound, (await _service.Http.GetAsync("/api/nodes/gpu-node-am1")).StatusCode);
    }

    private async Task<List<TimelineEntry>> WaitForTimelineAsync(string node, Func<List<TimelineEntry>, bool> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            var timeline = await _service.TimelineAsync(node);
            if (condition(timeline)) return timeline;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the timeline of {node} never showed what was expected: {JsonSerializer.Serialize(await _service.TimelineAsync(node))}");
    }
}

/// <summary>A service with no Alertmanager:Token must not take alerts from anyone.</summary>
public sealed class AlertmanagerWithoutTokenTests(Servers servers) : ServiceTests(servers)
{
    [Fact]
    public async Task The_webhook_fails_closed_and_says_the_token_is_not_configured()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/alertmanager") { Content = new ByteArrayContent(AlertFixtures.Bytes("alertmanager-v4-dcgm.json")) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "");

        var response = await Service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Alertmanager:Token is not configured", await response.Content.ReadAsStringAsync());
    }
}
