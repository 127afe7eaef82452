namespace Remediation.Core.Nodes.Deciding;

/// <summary>The fleet-wide kill switch as the decider sees it: while it is set, steps are deferred, not dispatched.</summary>
public sealed record AutomationPause(string By, string Reason, DateTimeOffset Since);
