namespace Remediation.Agent.Detecting.KernelLog;

/// <summary>What one kernel log line says went wrong, before it is addressed to a node.</summary>
public sealed record KernelFinding(string Kind, int? Xid, string? Device, int? Sxid = null, int? Link = null, bool? Fatal = null);
