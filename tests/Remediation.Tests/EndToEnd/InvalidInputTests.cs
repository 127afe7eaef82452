using System.Text;
using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

public sealed class InvalidInputTests(Servers servers) : ServiceTests(servers)
{
    [Fact]
    public async Task Malformed_messages_are_parked_with_their_reason_and_consuming_goes_on()
    {
        await Service.PublishRawAsync("{not json");
        await Service.PublishRawAsync("""{"eventId":"e-1","kind":"xid","xid":79,"observedAt":"2026-11-25T10:00:00Z"}""");
        await Service.PublishRawAsync("""{"eventId":"e-2","nodeId":"gpu-node-x","kind":"cosmic_ray","observedAt":"2026-11-25T10:00:00Z"}""");
        await Service.PublishRawAsync("""[1,2,3]""");
        await Service.PublishAsync(Faults.Xid("gpu-node-after", 13));

        await Service.WaitForNodeAsync("gpu-node-after", n => n.GetProperty("version").GetInt64() == 1);
        var parked = await DrainInvalidAsync(4);

        // Taken in many at once, so parked in about the order they came, not exactly: matched by body.
        Assert.Equal(4, parked.Count);
        string Reason(string body) => parked.Single(p => p.Body.StartsWith(body)).Reason;
        Assert.StartsWith("malformed JSON", Reason("{not json"));
        Assert.Equal("nodeId is required", Reason("""{"eventId":"e-1","""));
        Assert.Equal("unknown kind 'cosmic_ray'", Reason("""{"eventId":"e-2","""));
        Assert.Equal("expected a JSON object, got Array", Reason("[1,2,3]"));
    }

    [Fact]
    public async Task Http_reads_answer_404_for_unknown_nodes_and_400_for_bad_filters()
    {
        var unknown = await Service.Http.GetAsync("/api/nodes/no-such-node/timeline");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no-such-node", await unknown.Content.ReadAsStringAsync());
        var badFilter = await Service.Http.GetAsync("/api/nodes?status=Sleeping");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.Contains("unknown status 'Sleeping'", await badFilter.Content.ReadAsStringAsync());
    }

    private async Task<List<(string Reason, string Body)>> DrainInvalidAsync(int expected)
    {
        await using var channel = await Service.Bus.CreateChannelAsync();
        var parked = new List<(string, string)>();
        for (var i = 0; i < 100 && parked.Count < expected; i++)
        {
            var message = await channel.BasicGetAsync(Exchanges.InvalidFaultsQueue, autoAck: true);
            if (message is null)
            {
                await Task.Delay(100);
                continue;
            }
            var reason = Encoding.UTF8.GetString((byte[])message.BasicProperties.Headers![Exchanges.InvalidReasonHeader]!);
            parked.Add((reason, Encoding.UTF8.GetString(message.Body.Span)));
        }
        return parked;
    }
}
