namespace Remediation.Agent.Running;

public sealed record CommandResult(int ExitCode, string Output, bool TimedOut = false)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}

/// <summary>Runs one argument vector. Implementations never go through a shell.</summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(Argv command, TimeSpan timeout, CancellationToken ct);
}
