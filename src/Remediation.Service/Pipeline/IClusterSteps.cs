using Remediation.Core.Nodes;

namespace Remediation.Service.Pipeline;

/// <summary>
/// The steps the service runs itself instead of sending them to the node's agent, those that act on the cluster
/// (Repair's <c>ClusterActuator</c>): their results come back on the step-results exchange, as an agent's would.
/// </summary>
public interface IClusterSteps
{
    /// <summary>Whether the service runs steps of this action itself.</summary>
    bool Handles(string action);

    /// <summary>Takes the step to run; returns at once.</summary>
    void Run(StepDispatched step);
}
