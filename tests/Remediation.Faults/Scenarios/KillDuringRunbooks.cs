using System.Diagnostics;
using Remediation.Faults.Checking;
using Remediation.Faults.Reporting;

namespace Remediation.Faults.Scenarios;

/// <summary>
/// kill -9 the service while hundreds of runbooks have a step in flight on slow agents, which keep working and
/// answering while it is down. After the restart every runbook must resume from its stream and end, and no step may
/// have been issued twice.
/// </summary>
public sealed class KillDuringRunbooks(int nodes = 300) : IScenario
{
    public string Name => "kill-9-mid-runbook";

    public async Task<ScenarioResult> RunAsync(Scene scene, CancellationToken ct)
    {
        var faults = Workload.Runbooks(nodes, firstNode: 0);
        await using var fleet = await scene.StartFleetAsync(faults.Select(f => f.NodeId).ToList(), TimeSpan.FromSeconds(2), ct);
        var service = await scene.StartServiceAsync(ct);
        await using var publisher = scene.Publisher();
        await publisher.PublishAsync(Workload.Bodies(faults), perSecond: 0, ct);

        // Kill once most nodes are mid-step: the first steps have run, and their results or the next steps are in the air.
        await Scene.WaitAsync(() => Task.FromResult(fleet.Executed.Count >= nodes * 6 / 5), TimeSpan.FromSeconds(120), ct);
        var busyAtKill = await scene.Store.BusyNodesAsync(ct);
        await service.KillAsync();
        var runAtKill = fleet.Executed.Count;
        await Task.Delay(TimeSpan.FromSeconds(3), ct);

        var restarted = Stopwatch.StartNew();
        await service.StartAsync(ct);
        await Scene.WaitAsync(async () => await scene.Store.BusyNodesAsync(ct) == 0, TimeSpan.FromSeconds(120), ct);
        var recovery = restarted.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(2), ct); // let any late duplicate command reach the agents before counting

        var store = await scene.Store.SnapshotAsync(ct);
        var notes = new List<string> { $"killed with {busyAtKill} of {nodes} runbooks open and {runAtKill} steps run" };
        return Verdict.Of(Name, publisher.Published, store, FaultAccount.Of(faults, store), ActionAccount.Of(store, fleet),
            await scene.Store.BusyNodesAsync(ct), recovery, notes);
    }
}
