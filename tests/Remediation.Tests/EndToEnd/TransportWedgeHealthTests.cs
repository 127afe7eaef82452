using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// The last resort, end to end: a transport stuck while the broker answers turns <c>/health/live</c>
/// to 503 "wedged", naming what is stuck, so that an orchestrator restarts it. Sends the broker keeps refusing stand in
/// for the client deadlock (RabbitMQ.Client #1930) that no test can cause on purpose.
/// </summary>
public sealed class TransportWedgeHealthTests(Servers servers) : ServiceTests(servers)
{
    /// <summary>The service user's permissions in deploy/rabbitmq/definitions.json.</summary>
    private const string Space = @"^remediation\.";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Health:WedgedAfter"] = "00:00:20",
        // In a test host an exit would end the test run: what it would do is covered by TransportWedgeTests.
        ["Health:ExitWhenWedged"] = "false",
    };

    [Fact]
    public async Task Sends_refused_all_along_while_the_broker_answers_make_liveness_wedged()
    {
        var live = await Service.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        await Servers.Vhosts.SetWritePermissionAsync(Service.Vhost, $"svc-{Service.Vhost}", Space, @"^remediation\.(?!commands$)");
        await Service.PublishAsync(Faults.Xid("gpu-node-wedge", 48));

        for (var until = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < until; await Task.Delay(1000))
        {
            live = await Service.Http.GetAsync("/health/live");
            if (live.StatusCode != HttpStatusCode.OK) break;
        }
        Assert.True(live.StatusCode == HttpStatusCode.ServiceUnavailable, "liveness never turned 503 with every step command refused");
        var body = await live.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("wedged", body.GetProperty("status").GetString());
        var problem = Assert.Single(body.GetProperty("problems").EnumerateArray()).GetString();
        Assert.Contains("sends (no send confirmed since", problem);
        Assert.Contains("while the broker answers", problem);
    }
}
