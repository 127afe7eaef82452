using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Service.Bus;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>A consumer that stops consuming is never silent: /health names it until it consumes again.</summary>
public sealed class TransportHealthTests(Servers servers) : ServiceTests(servers)
{
    /// <summary>The service user's permissions in deploy/rabbitmq/definitions.json.</summary>
    private const string Space = @"^remediation\.";

    [Fact]
    public async Task A_partition_endpoint_that_cannot_consume_makes_health_degraded_naming_it_until_it_consumes_again()
    {
        await Service.WaitForHealthAsync(h => Status(h) == "healthy", "healthy at start");

        // The broker refuses partition 3 to the service's user; a dropped connection makes every endpoint consume anew.
        var user = $"svc-{Service.Vhost}";
        await Servers.Vhosts.SetReadPermissionAsync(Service.Vhost, user, Space, @"^remediation\.(?!partition\.003$)");
        await Servers.Vhosts.CloseConnectionsAsync(Service.Vhost, "remediation-service");
        var stuck = await Service.WaitForHealthAsync(h => Status(h) == "degraded" && ServiceUnderTest.Problems(h).Any(p => p.Contains("remediation.partition.003")),
            "degraded naming partition 3");
        Assert.DoesNotContain(ServiceUnderTest.Problems(stuck), p => p.Contains("remediation.partition.004"));

        await Servers.Vhosts.SetReadPermissionAsync(Service.Vhost, user, Space, Space);
        await Service.WaitForHealthAsync(h => Status(h) == "healthy", "healthy again once partition 3 consumes");
    }

    [Fact]
    public async Task Every_fault_decided_is_seen_acknowledged_by_the_watch_that_would_call_acknowledgements_stuck()
    {
        var watch = Service.Services.GetRequiredService<AckWatch>();
        var nodes = Enumerable.Range(0, 20).Select(i => $"gpu-ack-{i:D3}").ToList();

        await Service.PublishAsync(nodes.Select(n => Faults.Xid(n, 13)).ToArray());
        foreach (var node in nodes) await Service.WaitForNodeAsync(node, n => n.GetProperty("version").GetInt64() > 0);

        for (var until = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < until && watch.Acknowledged < nodes.Count; await Task.Delay(100)) { }
        Assert.True(watch.Acknowledged >= nodes.Count, $"the watch saw {watch.Acknowledged} of {nodes.Count} deliveries acknowledged");
        Assert.True(watch.Oldest() is null, $"acknowledgements still waiting: {watch.Oldest()}");
    }

    private static string? Status(JsonElement health) => health.GetProperty("status").GetString();
}
