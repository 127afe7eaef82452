using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// A broker out of memory or disk blocks every publishing connection until its alarm clears. It still answers a probe,
/// so without knowing about the block the service would take the wait for a wedge and restart itself every
/// <c>Health:WedgedAfter</c> for as long as the alarm lasts. Runs alone: the alarm blocks every connection on the broker.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class BrokerAlarmTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Health:WedgedAfter"] = "00:00:20",
        ["Health:ExitWhenWedged"] = "false",
        ["Decider:AutoApprove"] = "false",
    };

    [Fact]
    public async Task A_connection_the_broker_blocked_is_reported_as_an_outage_and_never_as_a_wedge()
    {
        // The broker blocks a connection when it publishes during the alarm: an operator approves a reboot then, and the
        // service's step command is the publish.
        await using var agents = await Service.StartAgentsAsync(["gpu-node-alarm"], _ => true);
        await Service.PublishAsync(Faults.Xid("gpu-node-alarm", 79));
        await Service.WaitForNodeAsync("gpu-node-alarm", n => ServiceUnderTest.Is(n, "AwaitingApproval"));
        var approval = Assert.Single(await Service.Http.GetFromJsonAsync<List<JsonElement>>("/api/approvals") ?? []);

        await RabbitMqCtlAsync("set_vm_memory_high_watermark", "0");
        try
        {
            var (approved, _) = await Service.PostAsync($"/api/approvals/{approval.GetProperty("approvalId").GetString()}/approve");
            Assert.Equal(HttpStatusCode.OK, approved);
            var blocked = await Service.WaitForHealthAsync(h => ServiceUnderTest.Problems(h).Any(p => p.Contains("the broker blocked the connection")), "naming the blocked connection");
            Assert.Equal("degraded", blocked.GetProperty("status").GetString());

            // Past the wedge allowance, liveness still says the process is fine: it is waiting for the broker.
            await Task.Delay(TimeSpan.FromSeconds(25));
            var live = await Service.Http.GetAsync("/health/live");
            Assert.True(live.StatusCode == HttpStatusCode.OK, $"liveness turned {live.StatusCode} while the broker blocked the connection: {await live.Content.ReadAsStringAsync()}");
        }
        finally
        {
            await RabbitMqCtlAsync("set_vm_memory_high_watermark", "0.4");
        }
        await Service.WaitForHealthAsync(h => !ServiceUnderTest.Problems(h).Any(p => p.Contains("the broker blocked the connection")), "clear of the blocked connection");
        await Service.WaitForNodeAsync("gpu-node-alarm", n => ServiceUnderTest.IsIdle(n, "Healthy"), seconds: 60);
    }

    private static async Task RabbitMqCtlAsync(params string[] args)
    {
        // rabbitmqctl needs the node's Erlang cookie: root's, as deploy/local/servers.sh starts the node.
        var root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? "rabbitmqctl" : "sudo") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[.. root ? [] : new[] { "-n", "rabbitmqctl" }, .. args]) start.ArgumentList.Add(arg);
        using var ctl = Process.Start(start)!;
        await ctl.WaitForExitAsync();
        Assert.True(ctl.ExitCode == 0, $"rabbitmqctl {string.Join(' ', args)}: {await ctl.StandardError.ReadToEndAsync()}");
    }
}
