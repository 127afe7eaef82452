using Remediation.Cli;
using Remediation.Cli.Rendering;
using Remediation.Contracts;

namespace Remediation.Simulator;

public static class SimulateCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var nodes = DemoScenario.Nodes(args.Int("nodes", 64));
        var api = ApiClient.For(args);
        await using var connection = await BrokerConnections.Factory(args.RabbitMq, "remediation-simulate").CreateConnectionAsync(ct);
        await using var fleet = new SimulatedFleet(connection, BrokerUser.Of(args.RabbitMq), nodes, DemoScenario.Succeeds, TimeSpan.FromMilliseconds(args.Int("step-ms", 400)));
        await fleet.StartAsync(ct);
        // The service opens RMA tickets at Rma:WebhookUrl; the demo points that here.
        await using var tickets = args.Option("ticket-port") is { } port ? new SimulatedTicketDesk(int.Parse(port)) : null;
        tickets?.Start();
        await output.WriteLineAsync($"Simulated fleet of {nodes.Count} nodes is up; their agents obey step commands.");

        var faults = DemoScenario.Faults(DateTimeOffset.UtcNow).Where(f => nodes.Contains(f.NodeId)).ToList();
        await using (var publisher = await FaultPublisher.CreateAsync(connection, BrokerUser.Of(args.RabbitMq), ct))
            foreach (var fault in faults)
                await publisher.PublishAsync(fault, ct);
        var affected = faults.Select(f => f.NodeId).Distinct().ToList();
        await output.WriteLineAsync($"Injected {faults.Count} faults on {affected.Count} nodes. Watching:");

        var watcher = new FleetWatcher(api, output);
        var settled = await watcher.WatchUntilSettledAsync(affected, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(args.Int("timeout", 120)), ct);
        await output.WriteLineAsync(settled ? "\nAll affected nodes have settled." : "\nTime is up; some nodes are still busy.");
        foreach (var node in affected)
            await output.WriteLineAsync($"  {node,-14} {watcher.Statuses.GetValueOrDefault(node, "(not seen)")}");

        var showcase = args.Option("show", "gpu-node-017");
        if (nodes.Contains(showcase))
            await output.WriteAsync("\n" + TimelineText.Render(showcase, await api.TimelineAsync(showcase, ct)));
        return settled ? 0 : 1;
    }
}
