using System.Diagnostics;
using Remediation.Faults.Checking;
using Remediation.Faults.Reporting;

namespace Remediation.Faults.Scenarios;

/// <summary>
/// kill -9 the service while a storm is half ingested; the agents keep publishing while it is down. After the
/// restart every fault must be in its node's stream exactly once (or counted in a FaultRepeated).
/// </summary>
public sealed class KillDuringStorm(int nodes = 2000, int perNode = 10) : IScenario
{
    public string Name => "kill-9-mid-storm";

    public async Task<ScenarioResult> RunAsync(Scene scene, CancellationToken ct)
    {
        var faults = Workload.Storm(nodes, perNode);
        var service = await scene.StartServiceAsync(ct);
        await using var publisher = scene.Publisher();
        var publishing = publisher.PublishAsync(Workload.Bodies(faults), perSecond: 0, ct);

        await Scene.WaitAsync(async () => await scene.Store.FaultsAccountedAsync(ct) >= faults.Count / 4, TimeSpan.FromSeconds(120), ct);
        await service.KillAsync();
        var atKill = await scene.Store.FaultsAccountedAsync(ct);
        await publishing;

        var restarted = Stopwatch.StartNew();
        await service.StartAsync(ct);
        await scene.WaitUntilRecordedAsync(faults, runbooksEnded: false, TimeSpan.FromSeconds(150), ct);
        var recovery = restarted.Elapsed.TotalSeconds;

        var store = await scene.Store.SnapshotAsync(ct);
        var notes = new List<string> { $"killed with {atKill} of {faults.Count} faults committed; {publisher.Retried} publishes retried" };
        return Verdict.Of(Name, publisher.Published, store, FaultAccount.Of(faults, store), null, 0, recovery, notes);
    }
}
