using System.Diagnostics;
using Remediation.Faults.Checking;
using Remediation.Faults.Harness;
using Remediation.Faults.Reporting;

namespace Remediation.Faults.Scenarios;

/// <summary>
/// The broker goes away under load, and while it is away the service is killed -9 and started again: it comes up
/// without a broker, waits for it, and then every fault published (publishers and agents retrying, as the agent's spool
/// does) is recorded and every runbook ends, with no step issued twice.
/// </summary>
public sealed class KillWhileBrokerDown(int stormNodes = 1000, int perNode = 8, int runbookNodes = 100) : IScenario
{
    public string Name => "kill-9-while-rabbitmq-down";

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
        var atStop = await scene.Store.FaultsAccountedAsync(ct);
        scene.Say("stopping the broker under load");
        await ServerControl.StopRabbitMqAsync();
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        scene.Say("kill -9 the service while the broker is down, and start it again");
        await service.KillAsync();
        await service.StartAsync(ct, waitUntilUp: false);
        await Task.Delay(TimeSpan.FromSeconds(10), ct);
        var notes = new List<string> { $"broker stopped with {atStop} faults committed" };
        if (service.Exited) notes.Add("FAIL: the service restarted without a broker exited instead of waiting for it");
        scene.Say("starting the broker");
        await ServerControl.StartRabbitMqAsync();
        var restarted = Stopwatch.StartNew();
        await service.WaitUntilUpAsync(ct);
        await publishing;
        scene.Say("published; waiting for the backlog to drain");
        var all = runbooks.Concat(storm).ToList();
        notes.Add($"{publisher.Retried} publishes retried by the publisher");
        var recovery = await scene.RecoveryAsync(all, restarted, "the broker came back", TimeSpan.FromSeconds(90), notes, ct);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        var store = await scene.Store.SnapshotAsync(ct);
        var result = Verdict.Of(Name, publisher.Published + publisher.Retried, store, FaultAccount.Of(all, store), ActionAccount.Of(store, fleet),
            await scene.Store.BusyNodesAsync(ct), recovery, notes);
        return recovery is null || service.Exited ? result with { Passed = false } : result;
    }
}
