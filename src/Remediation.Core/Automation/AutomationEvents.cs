namespace Remediation.Core.Automation;

// The fleet-wide kill switch, audited in its own stream: who paused or resumed automation, when, and why.

public sealed record AutomationPaused(string By, string Reason, DateTimeOffset PausedAt);

public sealed record AutomationResumed(string By, string Reason, DateTimeOffset ResumedAt);

/// <summary>The switch's current position, stored with the event that set it.</summary>
public sealed record AutomationControl(string Id, bool Paused, string? By, string? Reason, DateTimeOffset? Since);
