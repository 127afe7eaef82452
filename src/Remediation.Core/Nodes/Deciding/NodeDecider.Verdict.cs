using Remediation.Contracts;
using Remediation.Core.Runbooks;

namespace Remediation.Core.Nodes.Deciding;

/// <summary>
/// The driver's verdict leads: where a fault carries a GPU Recovery Action (Xid 154, nvidia-smi), the ladder starts no
/// lower than the rung it names, and the reason on the timeline says so. A rung the runbooks chose higher stands.
/// </summary>
public sealed partial class NodeDecider
{
    private FaultRoute WithDriverVerdict(FaultDetected fault, FaultRoute route)
    {
        if (RecoveryAction.Of(fault) is not var (action, rung)) return route;
        var floor = rung switch
        {
            RecoveryAction.Rung.Reset => options.ResetRunbook,
            RecoveryAction.Rung.Reboot => options.RebootRunbook,
            _ => null,
        };
        if (floor is null) return new RecordOnly($"the driver's GPU Recovery Action is {action}: the GPU needs nothing");
        if (!runbooks.Contains(floor)) return route;
        if (route is Run run && runbooks.Height(run.Runbook.Name) <= runbooks.Height(floor)) return route;
        return new Run(runbooks[floor], $"the driver's GPU Recovery Action is {action}: starting no lower than {floor}");
    }
}
