using Remediation.Core.Nodes;

namespace Remediation.Service.Pipeline;

/// <summary>
/// How the loop sends what a commit decided (the bus's <c>CommandPublisher</c>): each returns once the broker took it,
/// and throws when it did not, so the loop tries again on its next turn.
/// </summary>
public interface ICommandSender
{
    /// <summary>The step's command to its node's agent, to be done by <paramref name="deadline"/>.</summary>
    Task PublishAsync(StepDispatched step, DateTimeOffset deadline, CancellationToken ct);

    /// <summary>Asks the instance holding the node, through the node's partition, to reload it from the store.</summary>
    Task NudgeAsync(string nodeId, int partition, CancellationToken ct);
}
