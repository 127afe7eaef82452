namespace Remediation.Service.Repair;

/// <summary>The scheduler could not be asked or refused to answer; the message says which and why.</summary>
public sealed class SchedulerException(string message, Exception? inner = null) : Exception(message, inner);
