using Remediation.Agent.Running;

namespace Remediation.Agent.Tests.Support;

/// <summary>
/// A runner whose matching commands never return and ignore cancellation, like nvidia-smi stuck in the kernel after an
/// Xid 79; everything else goes to <paramref name="otherwise"/>.
/// </summary>
public sealed class StuckRunner(Func<Argv, bool> stuck, ICommandRunner otherwise) : ICommandRunner
{
    private readonly TaskCompletionSource<CommandResult> _never = new();

    public Task<CommandResult> RunAsync(Argv command, TimeSpan timeout, CancellationToken ct) =>
        stuck(command) ? _never.Task : otherwise.RunAsync(command, timeout, ct);
}
