namespace Remediation.Contracts;

public static class FaultValidation
{
    /// <summary>Returns why a fault cannot be acted on, or null when it is valid.</summary>
    public static string? Validate(FaultDetected fault)
    {
        if (string.IsNullOrWhiteSpace(fault.EventId)) return "eventId is required";
        if (string.IsNullOrWhiteSpace(fault.NodeId)) return "nodeId is required";
        if (TextProblem(fault) is { } text) return text;
        if (!NodeNames.IsValid(fault.NodeId)) return $"nodeId '{fault.NodeId}' is not a host name (letters, digits, '.', '_', '-')";
        if (string.IsNullOrWhiteSpace(fault.Kind)) return "kind is required";
        if (!FaultKinds.All.Contains(fault.Kind)) return $"unknown kind '{fault.Kind}'";
        if (fault.Kind == FaultKinds.Xid && fault.Xid is null) return "xid is required when kind is 'xid'";
        if (fault.Xid is < 0) return "xid must be positive";
        if (fault.Kind == FaultKinds.Sxid && fault.Sxid is null) return "sxid is required when kind is 'sxid'";
        if (fault.Sxid is < 0) return "sxid must be positive";
        if (fault.Link is < 0) return "link must be positive";
        if (fault.ObservedAt == default) return "observedAt is required";
        return null;
    }

    public static string? Validate(StepCompleted result)
    {
        if (string.IsNullOrWhiteSpace(result.CommandId)) return "commandId is required";
        if (string.IsNullOrWhiteSpace(result.NodeId)) return "nodeId is required";
        if (TextProblem(result) is { } text) return text;
        if (!NodeNames.IsValid(result.NodeId)) return $"nodeId '{result.NodeId}' is not a host name";
        if (!StepOutcomes.All.Contains(result.Outcome ?? "")) return $"unknown outcome '{result.Outcome}'";
        return null;
    }

    private static string? TextProblem(FaultDetected f) =>
        WireText.Problem("eventId", f.EventId, WireLimits.MaxIdLength, isId: true)
        ?? WireText.Problem("nodeId", f.NodeId, WireLimits.MaxIdLength, isId: true)
        ?? WireText.Problem("kind", f.Kind, WireLimits.MaxFieldLength, isId: true)
        ?? WireText.Problem("device", f.Device, WireLimits.MaxFieldLength, isId: true)
        ?? WireText.Problem("source", f.Source, WireLimits.MaxFieldLength, isId: true)
        ?? WireText.Problem("cluster", f.Cluster, WireLimits.MaxFieldLength, isId: true)
        ?? WireText.Problem("message", f.Message, WireLimits.MaxMessageLength);

    private static string? TextProblem(StepCompleted r) =>
        WireText.Problem("commandId", r.CommandId, WireLimits.MaxIdLength, isId: true)
        ?? WireText.Problem("nodeId", r.NodeId, WireLimits.MaxIdLength, isId: true)
        ?? WireText.Problem("outcome", r.Outcome, WireLimits.MaxFieldLength, isId: true)
        ?? WireText.Problem("output", r.Output, WireLimits.MaxOutputLength);
}
