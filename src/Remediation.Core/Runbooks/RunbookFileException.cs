namespace Remediation.Core.Runbooks;

/// <summary>A runbook file that cannot be used; the message names the file and line so start-up can say where.</summary>
public sealed class RunbookFileException(string file, long line, string reason)
    : Exception($"{file}:{line}: {reason}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
    public string Reason { get; } = reason;
}
