namespace Remediation.Agent.Commands;

/// <summary>Picks the command named by the first argument.</summary>
public static class AgentCommands
{
    public static int Dispatch(
        IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter error, TimeProvider clock, string defaultNode)
    {
        switch (args.Count > 0 ? args[0] : null)
        {
            case "parse":
                return new ParseCommand(clock, defaultNode).Run(args.Skip(1).ToList(), input, output, error);
            case "run":
                return new RunCommand(clock, defaultNode).Run(args.Skip(1).ToList(), output, error);
            case "-h" or "--help" or "help":
                output.Write(Usage.Text);
                return ExitCodes.Ok;
            case null:
                error.Write(Usage.Text);
                return ExitCodes.Usage;
            default:
                error.WriteLine($"remediation-agent: unknown command '{args[0]}'");
                error.Write(Usage.Text);
                return ExitCodes.Usage;
        }
    }
}
