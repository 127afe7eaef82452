using System.Text.Json;

namespace Remediation.Faults.Checking;

/// <summary>The facts a scenario checks, folded out of the node streams.</summary>
public sealed class StoreSnapshot
{
    public long TotalEvents { get; init; }

    /// <summary>eventId → how many FaultReported name it (more than one is a fault recorded twice).</summary>
    public Dictionary<string, int> Reported { get; } = [];
    public HashSet<string> Ignored { get; } = [];

    /// <summary>eventId → how many FaultRepeated events counted it by name.</summary>
    public Dictionary<string, int> RepeatedIds { get; } = [];

    /// <summary>(node, fingerprint) → repeats counted in FaultRepeated events without naming their eventId.</summary>
    public Dictionary<(string Node, string Fingerprint), int> Repeated { get; } = [];

    public List<Dispatch> Dispatched { get; } = [];

    /// <summary>commandId → results recorded for it (StepSucceeded, StepFailed, StepTimedOut).</summary>
    public Dictionary<string, int> Results { get; } = [];
    public int ResultsIgnored { get; private set; }

    public void Add(string type, JsonElement e)
    {
        switch (type)
        {
            case "fault_reported" or "node_joined_storm": Bump(Reported, e.Str("eventId")); break;
            // A storm's tally counts each node's repeats as a FaultRepeated does, with the eventIds it names.
            case "storm_tallied":
                foreach (var r in e.GetProperty("repeats").EnumerateArray()) AddRepeats(r);
                break;
            case "fault_ignored": Ignored.Add(e.Str("eventId")); break;
            case "fault_repeated": AddRepeats(e); break;
            case "step_dispatched":
                Dispatched.Add(new Dispatch(e.Str("nodeId"), e.Str("incidentId"), e.Str("commandId"), e.Str("runbook"),
                    e.GetProperty("stepIndex").GetInt32(), e.GetProperty("attempt").GetInt32(), e.Str("action"), e.GetProperty("verification").GetBoolean()));
                break;
            case "step_result_ignored": ResultsIgnored++; break;
            default: Bump(Results, e.Str("commandId")); break;
        }
    }

    private void AddRepeats(JsonElement e)
    {
        var key = (e.Str("nodeId"), e.Str("fingerprint"));
        var named = e.TryGetProperty("eventIds", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? ids.EnumerateArray().Select(i => i.GetString()!).ToList() : [];
        foreach (var id in named) Bump(RepeatedIds, id);
        Repeated[key] = Repeated.GetValueOrDefault(key) + e.GetProperty("count").GetInt32() - named.Count;
    }

    private static void Bump(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}

public sealed record Dispatch(string Node, string Incident, string CommandId, string Runbook, int StepIndex, int Attempt, string Action, bool Verification);

internal static class JsonElementExtensions
{
    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";
}
