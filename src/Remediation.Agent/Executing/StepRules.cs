using System.Text.RegularExpressions;
using Remediation.Contracts;

namespace Remediation.Agent.Executing;

/// <summary>What a StepRequested must look like before the agent considers running it.</summary>
public static partial class StepRules
{
    // The service's ids look like "inc-gpu-node-017-3/gpu-reset/reset-gpu/1".
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._:/@-]{0,255}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    // ".." is refused although ids never become paths: nothing legitimate needs it, and it keeps them inert everywhere.
    public static bool IsIdentifier(string? text) => text is not null && Identifier().IsMatch(text) && !text.Contains("..", StringComparison.Ordinal);

    /// <summary>Why the step cannot run here, or null.</summary>
    public static string? Reject(StepRequested step, string nodeId, IReadOnlyDictionary<string, IStepAction> actions)
    {
        if (step.NodeId != nodeId) return $"step is addressed to node '{Devices.DeviceArgs.Shown(step.NodeId ?? "")}', this is {nodeId}";
        foreach (var (field, value) in new[] { ("incidentId", step.IncidentId), ("runbook", step.Runbook), ("step", step.Step) })
            if (!IsIdentifier(value)) return $"{field} '{Devices.DeviceArgs.Shown(value ?? "")}' is not an identifier";
        if (step.Action is null || !actions.TryGetValue(step.Action, out var action))
            return $"unknown action '{Devices.DeviceArgs.Shown(step.Action ?? "")}'";
        foreach (var name in (step.Args ?? new Dictionary<string, string>()).Keys)
            if (!action.Args.Contains(name)) return $"{action.Name} takes no argument '{Devices.DeviceArgs.Shown(name)}'";
        return null;
    }
}
