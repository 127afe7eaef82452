using System.Net.Http.Json;
using System.Text.Json;
using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Simulator;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Trust;

/// <summary>
/// A node agent connects as its own broker user with the permissions deploy/rabbitmq gives it, and may speak only for
/// its own node: what it says about another node, or what anyone says without a proven sender, moves nothing.
/// </summary>
public sealed class SpoofTests(Servers servers) : ServiceTests(servers)
{
    private readonly string _nodeA = $"gpu-a-{Guid.NewGuid():N}"[..14];
    private readonly string _nodeB = $"gpu-b-{Guid.NewGuid():N}"[..14];

    [Fact]
    public async Task A_node_reporting_for_another_node_is_parked_and_nothing_happens_to_that_node()
    {
        var agentA = await Servers.Vhosts.CreateAgentUserAsync(Service.Schema, _nodeA);
        try
        {
            await using var connection = await BrokerConnections.Factory(agentA.ToString(), "agent-a").CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
            await PublishAsync(channel, Faults.Xid(_nodeB, 48), userId: _nodeA);
            await PublishAsync(channel, Faults.Xid(_nodeA, 13), userId: _nodeA);

            await Service.WaitForNodeAsync(_nodeA, n => n.GetProperty("version").GetInt64() >= 1);
            var parked = await InvalidQueue.DrainAsync(Service, Exchanges.InvalidFaultsQueue, 1);

            Assert.Equal($"sender '{_nodeA}' may not publish for node '{_nodeB}' (only the node itself or a trusted publisher may)", parked.Single().Reason);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Service.Http.GetAsync($"/api/nodes/{_nodeB}")).StatusCode);
            Assert.Contains("remediation_sender_refused_total", await Service.Http.GetStringAsync("/metrics"));
        }
        finally
        {
            await Servers.Vhosts.DeleteUserAsync(_nodeA);
        }
    }

    [Fact]
    public async Task A_message_without_a_user_id_is_parked_as_unproven()
    {
        await using var channel = await Service.Bus.CreateChannelAsync(new CreateChannelOptions(true, true));
        await PublishAsync(channel, Faults.Xid(_nodeB, 48), userId: null);

        var parked = await InvalidQueue.DrainAsync(Service, Exchanges.InvalidFaultsQueue, 1);

        Assert.Equal($"sender unproven: no AMQP user_id on a message for node '{_nodeB}'", parked.Single().Reason);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Service.Http.GetAsync($"/api/nodes/{_nodeB}")).StatusCode);
    }

    [Fact]
    public async Task A_node_cannot_answer_for_another_nodes_step()
    {
        await using var fleet = await Service.StartAgentsAsync([], _ => true);
        await Service.PublishAsync(Faults.Xid(_nodeB, 48));
        // The evidence collection before the reset, which only the node's agent may answer (the quarantine before it is
        // the service's own step).
        var node = await Service.WaitForNodeAsync(_nodeB, n => n.GetProperty("incident").ValueKind == JsonValueKind.Object
            && n.GetProperty("incident").GetProperty("pending").ValueKind == JsonValueKind.Object
            && n.GetProperty("incident").GetProperty("pending").GetProperty("action").GetString() == "collect_evidence");
        var commandId = node.GetProperty("incident").GetProperty("pending").GetProperty("commandId").GetString()!;
        var agentA = await Servers.Vhosts.CreateAgentUserAsync(Service.Schema, _nodeA);
        try
        {
            await using var connection = await BrokerConnections.Factory(agentA.ToString(), "agent-a").CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
            var forged = new StepCompleted(commandId, _nodeB, StepOutcomes.Succeeded, 0, "forged", DateTimeOffset.UtcNow);
            await channel.BasicPublishAsync(Exchanges.StepResults, "", false,
                new BasicProperties { ContentType = "application/json", UserId = _nodeA }, WireJson.Serialize(forged));

            var parked = await InvalidQueue.DrainAsync(Service, "remediation.step-results.invalid", 1);

            Assert.StartsWith($"sender '{_nodeA}' may not publish for node '{_nodeB}'", parked.Single().Reason);
            var timeline = await Service.Http.GetFromJsonAsync<List<TimelineEntry>>($"/api/nodes/{_nodeB}/timeline");
            Assert.DoesNotContain(timeline!, e => e.Type == "StepSucceeded" && e.Data.GetProperty("commandId").GetString() == commandId);
            Assert.Matches(@"/[0-9a-f]{24}$", commandId);
        }
        finally
        {
            await Servers.Vhosts.DeleteUserAsync(_nodeA);
        }
    }

    private static async Task PublishAsync(IChannel channel, FaultDetected fault, string? userId) =>
        await channel.BasicPublishAsync(Exchanges.Faults, "", false,
            new BasicProperties { ContentType = "application/json", Persistent = true, UserId = userId }, WireJson.Serialize(fault));
}
