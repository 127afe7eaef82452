using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Faults.Checking;
using Remediation.Faults.Harness;
using Remediation.Faults.Reporting;

namespace Remediation.Faults.Scenarios;

/// <summary>
/// Lying nodes: each connects as its own broker user with the permissions deploy/rabbitmq gives an agent and reports
/// Xids and step successes for other nodes, among honest traffic; a publisher without a user_id tries the same. No
/// victim may get a single event, every attempt must be parked with its sender, and every honest fault recorded.
/// </summary>
public sealed class SpoofedSenders(int liars = 5, int victimsEach = 20, int honestNodes = 200) : IScenario
{
    public string Name => "spoof";

    public async Task<ScenarioResult> RunAsync(Scene scene, CancellationToken ct)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var liarNodes = Enumerable.Range(0, liars).Select(i => $"gpu-liar-{tag}-{i}").ToList();
        var victims = Enumerable.Range(0, liars * victimsEach).Select(i => $"gpu-victim-{tag}-{i:D3}").ToList();
        var honest = Workload.Storm(honestNodes, 2);
        var own = liarNodes.Select(n => Workload.Xid(n, 13, "PCI:0000:3b:00.0", "its own fault")).ToList();
        await scene.StartServiceAsync(ct);
        await using var publisher = scene.Publisher();
        var started = Stopwatch.StartNew();
        var publishing = publisher.PublishAsync(Workload.Bodies(honest), perSecond: 500, ct);

        var attempts = 0;
        var users = new List<string>();
        try
        {
            for (var i = 0; i < liars; i++)
            {
                var uri = await scene.Servers.Vhosts.CreateAgentUserAsync(scene.Vhost, liarNodes[i]);
                users.Add(liarNodes[i]);
                await using var connection = await Broker.ConnectAsync(uri, $"liar-{i}", ct);
                await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
                foreach (var victim in victims.Skip(i * victimsEach).Take(victimsEach))
                {
                    await PublishAsync(channel, Exchanges.Faults, WireJson.Serialize(Workload.Xid(victim, 48, "PCI:0000:3b:00.0", "spoofed")), liarNodes[i], ct);
                    var forged = new StepCompleted($"inc-{victim}-1/gpu-reset/reset-gpu/1", victim, StepOutcomes.Succeeded, 0, "forged", DateTimeOffset.UtcNow);
                    await PublishAsync(channel, Exchanges.StepResults, WireJson.Serialize(forged), liarNodes[i], ct);
                    attempts += 2;
                }
                await PublishAsync(channel, Exchanges.Faults, WireJson.Serialize(own[i]), liarNodes[i], ct);
            }
            await using (var anonymous = await scene.Connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct))
                foreach (var victim in victims.Take(victimsEach))
                {
                    await PublishAsync(anonymous, Exchanges.Faults, WireJson.Serialize(Workload.Xid(victim, 79, "PCI:0000:3b:00.0", "no sender")), null, ct);
                    attempts++;
                }
            await publishing;

            var notes = new List<string>();
            var all = honest.Concat(own).ToList();
            try
            {
                await scene.WaitUntilRecordedAsync(all, runbooksEnded: false, TimeSpan.FromSeconds(60), ct);
                notes.Add($"honest traffic drained in {started.Elapsed.TotalSeconds:F1}s while {attempts} spoofs arrived");
            }
            catch (TimeoutException)
            {
                notes.Add("FAIL: honest faults were not all recorded within 60s");
            }
            var parked = await ParkedAsync(scene.Connection, ct);
            var touched = await scene.Store.NodesWithEventsAsync(victims, ct);
            notes.Add($"{parked.Total} spoofs parked ({parked.Senders} naming their sender, {parked.Unproven} unproven); {touched} of {victims.Count} victims have events");
            if (touched > 0) notes.Add($"FAIL: {touched} victim nodes were acted on");
            if (parked.Total != attempts) notes.Add($"FAIL: {parked.Total} parked of {attempts} spoofs");
            var store = await scene.Store.SnapshotAsync(ct);
            var result = Verdict.Of(Name, publisher.Published + attempts, store, FaultAccount.Of(all, store), null, 0, null, notes);
            return result with { Passed = result.Passed && touched == 0 && parked.Total == attempts };
        }
        finally
        {
            foreach (var user in users) await scene.Servers.Vhosts.DeleteUserAsync(user);
        }
    }

    private static async Task PublishAsync(IChannel channel, string exchange, byte[] body, string? userId, CancellationToken ct) =>
        await channel.BasicPublishAsync(exchange, "", false,
            new BasicProperties { ContentType = "application/json", Persistent = true, UserId = userId }, body, ct);

    private static async Task<(int Total, int Senders, int Unproven)> ParkedAsync(IConnection connection, CancellationToken ct)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        int total = 0, senders = 0, unproven = 0;
        foreach (var queue in new[] { Exchanges.InvalidFaultsQueue, "remediation.step-results.invalid" })
            while (await channel.BasicGetAsync(queue, autoAck: true, ct) is { } message)
            {
                total++;
                var reason = message.BasicProperties.Headers?[Exchanges.InvalidReasonHeader] is byte[] r ? Encoding.UTF8.GetString(r) : "";
                if (reason.StartsWith("sender '", StringComparison.Ordinal)) senders++;
                if (reason.StartsWith("sender unproven", StringComparison.Ordinal)) unproven++;
            }
        return (total, senders, unproven);
    }
}
