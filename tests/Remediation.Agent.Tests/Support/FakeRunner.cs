using Remediation.Agent.Running;

namespace Remediation.Agent.Tests.Support;

/// <summary>Records every argument vector and answers from a script; success with no output when nothing matches.</summary>
public sealed class FakeRunner : ICommandRunner
{
    private readonly List<(Func<Argv, bool> When, Func<CommandResult> Answer)> _script = [];

    public List<Argv> Calls { get; } = [];

    /// <summary>The time each call was given, in the order of <see cref="Calls"/>.</summary>
    public List<TimeSpan> Timeouts { get; } = [];

    /// <summary>A runner on the two-L4 node of the host tree: <c>nvidia-smi -q -x</c> answers with that node's real XML.</summary>
    public static FakeRunner OnL4Node() =>
        new FakeRunner().When(a => a.File == "nvidia-smi" && a.Args is ["-q", "-x", ..], new CommandResult(0, SmiFixtures.Read(SmiFixtures.L4)));

    public IEnumerable<string> Lines => Calls.Select(c => c.ToString());

    public FakeRunner When(Func<Argv, bool> when, CommandResult answer) => When(when, () => answer);

    public FakeRunner When(Func<Argv, bool> when, Func<CommandResult> answer)
    {
        _script.Insert(0, (when, answer));
        return this;
    }

    public FakeRunner WhenArgs(string joinedArgs, CommandResult answer) => When(a => string.Join(' ', a.Args) == joinedArgs, answer);

    public Task<CommandResult> RunAsync(Argv command, TimeSpan timeout, CancellationToken ct)
    {
        Calls.Add(command);
        Timeouts.Add(timeout);
        var answer = _script.FirstOrDefault(s => s.When(command)).Answer;
        return Task.FromResult(answer?.Invoke() ?? new CommandResult(0, ""));
    }
}
