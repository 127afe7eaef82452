using Remediation.Contracts;

namespace Remediation.Agent.Executing;

public sealed record ActionResult(string Outcome, int? ExitCode, string Output)
{
    public static ActionResult Succeeded(string output) => new(StepOutcomes.Succeeded, 0, output);
    public static ActionResult Failed(string output, int? exitCode = null) => new(StepOutcomes.Failed, exitCode, output);
    public static ActionResult TimedOut(string output) => new(StepOutcomes.TimedOut, null, output);
}
