namespace Remediation.Agent.Running;

/// <summary>Runs nothing: writes and records each argument vector it is handed and answers success with no output.</summary>
public sealed class DryRunCommandRunner(TextWriter log) : ICommandRunner
{
    private readonly List<Argv> _seen = [];

    public IReadOnlyList<Argv> Seen
    {
        get { lock (_seen) return _seen.ToList(); }
    }

    public Task<CommandResult> RunAsync(Argv command, TimeSpan timeout, CancellationToken ct)
    {
        lock (_seen) _seen.Add(command);
        lock (log) log.WriteLine($"dry-run: would run {command}");
        return Task.FromResult(new CommandResult(0, ""));
    }
}
