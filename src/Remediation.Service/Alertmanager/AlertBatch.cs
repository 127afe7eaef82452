using Remediation.Contracts;

namespace Remediation.Service.Alertmanager;

/// <summary>What one webhook call amounts to: faults to publish, alerts that ended, and alerts left aside with why.</summary>
public sealed record AlertBatch(IReadOnlyList<FaultDetected> Faults, IReadOnlyList<ResolvedAlert> Resolved, IReadOnlyList<SkippedAlert> Skipped);

public sealed record ResolvedAlert(string AlertName, string? NodeId, string? Fingerprint, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record SkippedAlert(string AlertName, string? Fingerprint, string Reason);
