using Remediation.Agent.Executing;
using Remediation.Agent.Executing.Actions;
using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Support;

public static class Steps
{
    public const string Node = "gpu-node-017";
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T10:00:00Z");

    public static StepRequested Step(string action, Dictionary<string, string>? args = null, string commandId = "inc-gpu-node-017-1/gpu-reset/reset-gpu/1") =>
        new(commandId, Node, "inc-gpu-node-017-1", "gpu-reset", "reset-gpu", action, args ?? [], Now.AddMinutes(2));

    public static StepExecutor Executor(
        HostTree host, ICommandRunner runner, string stateDir, bool dryRun = false, RebootVia rebootVia = RebootVia.Systemctl) =>
        new(Node, host.Root, runner, dryRun, new ResultStore(stateDir), new FixedClock(Now), rebootVia: rebootVia);

    public static string StateDir() => Path.Combine(Path.GetTempPath(), $"agent-state-{Guid.NewGuid():N}");
}
