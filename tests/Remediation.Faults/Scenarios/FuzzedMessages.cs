using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Faults.Checking;
using Remediation.Faults.Reporting;

namespace Remediation.Faults.Scenarios;

/// <summary>
/// 1,000 malformed messages shuffled in among good ones: every bad one must be parked in remediation.faults.invalid
/// with an x-invalid-reason header, and every good one recorded. <see cref="Poison"/> does the same with what the
/// database and the JSON decoder choke on rather than what the parser refuses.
/// </summary>
public sealed class FuzzedMessages(string name, Func<Random, int, byte[]> make, int kinds, int bad = 1000, int goodNodes = 400, int perNode = 10)
    : IScenario
{
    public static FuzzedMessages Malformed() => new("fuzzed-malformed", Scenarios.Malformed.Make, Scenarios.Malformed.Kinds);

    public static FuzzedMessages Poisoned() => new("poison", Scenarios.Poison.Make, Scenarios.Poison.Kinds);

    public string Name => name;

    public async Task<ScenarioResult> RunAsync(Scene scene, CancellationToken ct)
    {
        var random = new Random(6);
        var good = Workload.Storm(goodNodes, perNode);
        var bodies = Workload.Bodies(good).Select(b => (Body: b, Bad: false))
            .Concat(Enumerable.Range(0, bad).Select(i => (Body: make(random, i), Bad: true)))
            .OrderBy(_ => random.Next()).ToList();

        await scene.StartServiceAsync(ct);
        await using var publisher = scene.Publisher();
        var started = Stopwatch.StartNew();
        await publisher.PublishAsync(bodies.Select(b => b.Body).ToList(), perSecond: 0, ct);
        var notes = new List<string>();
        try
        {
            await scene.WaitUntilRecordedAsync(good, runbooksEnded: false, TimeSpan.FromSeconds(60), ct);
            await Scene.WaitAsync(async () => await Harness.Broker.DepthAsync(scene.Connection, Exchanges.InvalidFaultsQueue, ct) >= bad, TimeSpan.FromSeconds(30), ct);
            notes.Add($"drained in {started.Elapsed.TotalSeconds:F1}s; {kinds} kinds of malformation; no restart, so no recovery time");
        }
        catch (TimeoutException)
        {
            notes.Add("FAIL: not every message was settled within 60s");
        }

        var (parked, withReason, reasons) = await ReadInvalidAsync(scene.Connection, ct);
        notes.Add($"{parked} parked, {withReason} with {Exchanges.InvalidReasonHeader}; {reasons.Count} distinct reasons, e.g. \"{reasons.FirstOrDefault()}\"");
        var store = await scene.Store.SnapshotAsync(ct);
        var result = Verdict.Of(Name, publisher.Published, store, FaultAccount.Of(good, store), null, 0, null, notes);
        var badLost = Math.Max(0, bad - withReason);
        if (parked != bad) notes.Add($"FAIL: {parked} messages parked, {bad} were malformed");
        return result with { Lost = result.Lost + badLost, Passed = result.Passed && parked == bad && withReason == bad };
    }

    private static async Task<(int Parked, int WithReason, List<string> Reasons)> ReadInvalidAsync(IConnection connection, CancellationToken ct)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        int parked = 0, withReason = 0;
        var reasons = new HashSet<string>();
        while (await channel.BasicGetAsync(Exchanges.InvalidFaultsQueue, autoAck: true, ct) is { } message)
        {
            parked++;
            if (message.BasicProperties.Headers is { } headers && headers.TryGetValue(Exchanges.InvalidReasonHeader, out var value) && value is byte[] reason)
            {
                withReason++;
                var text = Encoding.UTF8.GetString(reason);
                reasons.Add(text.Length > 60 ? text[..60] : text);
            }
        }
        return (parked, withReason, reasons.Order().ToList());
    }
}
