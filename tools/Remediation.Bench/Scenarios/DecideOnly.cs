using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Remediation.Contracts;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;
using Remediation.Service.Hosting;

namespace Remediation.Bench.Scenarios;

/// <summary>The pure part of the hot path alone: parse and decide the same faults in memory, no I/O, one thread.</summary>
public static class DecideOnly
{
    public static double FaultsPerSecond(IReadOnlyList<byte[]> bodies)
    {
        var runbooks = RunbookLoader.LoadDirectory(RemediationOptions.From(new ConfigurationBuilder().Build()).RunbooksDirectory);
        var decider = new NodeDecider(runbooks, new DeciderOptions { AutoApprove = true, CoalesceWindow = TimeSpan.Zero });
        var states = new Dictionary<string, NodeState>();
        var clock = Stopwatch.StartNew();
        foreach (var body in bodies)
        {
            var fault = JsonSerializer.Deserialize<FaultDetected>(body, WireJson.Options)!;
            var state = states.GetValueOrDefault(fault.NodeId) ?? NodeState.New(fault.NodeId);
            states[fault.NodeId] = decider.Decide(state, new FaultInput(fault), DateTimeOffset.UtcNow).State;
        }
        return bodies.Count / clock.Elapsed.TotalSeconds;
    }
}
