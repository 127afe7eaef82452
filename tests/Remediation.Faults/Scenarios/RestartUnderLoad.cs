using System.Diagnostics;
using Remediation.Faults.Checking;
using Remediation.Faults.Harness;
using Remediation.Faults.Reporting;

namespace Remediation.Faults.Scenarios;

/// <summary>
/// Restart a server (RabbitMQ or PostgreSQL) while a storm is being published and runbooks are in flight. Nobody
/// touches the service: it must notice, reconnect and drain the backlog by itself.
/// </summary>
public sealed class RestartUnderLoad(string name, Func<Task> restart, int stormNodes = 1000, int perNode = 8, int runbookNodes = 100) : IScenario
{
    public string Name => name;

    public static RestartUnderLoad RabbitMq() => new("rabbitmq-restart", () => ServerControl.RestartRabbitMqAsync(TimeSpan.FromSeconds(3)));

    /// <summary>Three restarts in a row, each while the service is still catching up on the last one.</summary>
    public static RestartUnderLoad RabbitMqThrice() => new("rabbitmq-restart-3x", async () =>
    {
        for (var i = 0; i < 3; i++)
        {
            if (i > 0) await Task.Delay(TimeSpan.FromSeconds(4));
            await ServerControl.RestartRabbitMqAsync(TimeSpan.FromSeconds(3));
        }
    });

    /// <summary>The broker gone for a minute: agents keep faults in their spools and publish them when it is back.</summary>
    public static RestartUnderLoad RabbitMqDown() => new("rabbitmq-down-60s", () => ServerControl.RestartRabbitMqAsync(TimeSpan.FromSeconds(60)));

    public static RestartUnderLoad Postgres() => new("postgresql-restart", ServerControl.RestartPostgresAsync);

    /// <summary>PostgreSQL gone for two minutes under load: no restart loop, no lost fault, no disruptive step twice.</summary>
    public static RestartUnderLoad PostgresDown() => new("postgresql-down-2m", () => ServerControl.StopPostgresAsync(TimeSpan.FromMinutes(2)));

    public async Task<ScenarioResult> RunAsync(Scene scene, CancellationToken ct)
    {
        var runbooks = Workload.Runbooks(runbookNodes, firstNode: stormNodes);
        var storm = Workload.Storm(stormNodes, perNode);
        await using var fleet = await scene.StartFleetAsync(runbooks.Select(f => f.NodeId).ToList(), TimeSpan.FromSeconds(1), ct);
        var service = await scene.StartServiceAsync(ct);
        await using var publisher = scene.Publisher();
        await publisher.PublishAsync(Workload.Bodies(runbooks), perSecond: 0, ct);
        var publishing = publisher.PublishAsync(Workload.Bodies(storm), perSecond: 1500, ct);

        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        scene.Say("restarting the server under load");
        var atRestart = await scene.Store.FaultsAccountedAsync(ct);
        await restart();
        var restarted = Stopwatch.StartNew();
        scene.Say("server back; waiting for the publisher");
        await publishing;
        scene.Say("published; waiting for the backlog to drain");
        var all = runbooks.Concat(storm).ToList();
        var notes = new List<string> { $"restarted with {atRestart} of {all.Count} faults committed; {publisher.Retried} publishes retried by the publisher" };
        var recovery = await scene.RecoveryAsync(all, restarted, "the restart", TimeSpan.FromSeconds(90), notes, ct);
        if (service.Exited) notes.Add("FAIL: the service exited during the outage instead of riding it out");
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        scene.Say("checking the streams");

        var store = await scene.Store.SnapshotAsync(ct);
        var result = Verdict.Of(Name, publisher.Published + publisher.Retried, store, FaultAccount.Of(all, store), ActionAccount.Of(store, fleet),
            await scene.Store.BusyNodesAsync(ct), recovery, notes);
        return recovery is null || service.Exited ? result with { Passed = false } : result;
    }
}
