using System.Text.RegularExpressions;
using Remediation.Contracts;

namespace Remediation.Core.Nodes.Deciding;

/// <summary>
/// The driver's own verdict on what a GPU needs, where a fault carries one: Xid 154 ("GPU recovery action changed from
/// 0x0 (None) to 0x2 (Node Reboot Required)", NVIDIA's Xid catalog) or the agent's report of nvidia-smi's "GPU Recovery
/// Action" (None, Reset, Reboot, Drain P2P, Drain and Reset). Both drains map to the reset rung: every runbook from there
/// up quarantines the node first, which drains its work, peer-to-peer traffic included.
/// </summary>
public static partial class RecoveryAction
{
    [GeneratedRegex(@"recovery action changed from .*? to 0x[0-9A-Fa-f]+ \((?<action>[^)]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex Xid154();

    [GeneratedRegex(@"^GPU Recovery Action: (?<action>[A-Za-z0-9 ]+?) on GPU ", RegexOptions.CultureInvariant)]
    private static partial Regex NvidiaSmi();

    public enum Rung { None, Reset, Reboot }

    /// <summary>The driver's action and the rung it means, or null when the fault carries no verdict.</summary>
    public static (string Action, Rung Rung)? Of(FaultDetected fault)
    {
        var match = fault is { Kind: FaultKinds.Xid, Xid: 154 } ? Xid154().Match(fault.Message ?? "")
            : fault.Kind == FaultKinds.HealthCheckFailed ? NvidiaSmi().Match(fault.Message ?? "")
            : null;
        if (match is not { Success: true }) return null;
        var action = match.Groups["action"].Value.Trim();
        return action switch
        {
            "None" => (action, Rung.None),
            "Reboot" or "Node Reboot Required" => (action, Rung.Reboot),
            "Reset" or "GPU Reset Required" or "Drain P2P" or "Drain and Reset" => (action, Rung.Reset),
            _ => null,
        };
    }
}
