using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs.Support;

/// <summary>NVSwitch faults as the agent reports them from the real SXid lines in its fixtures.</summary>
public static class SxidInputs
{
    /// <summary>nvidia-nvswitch0 of the gpud README's host, whose links went down while a GPU fell off the bus.</summary>
    public const string Switch0 = "PCI:0000:05:00.0";

    /// <summary>nvidia-nvswitch3 of Lambda's bug-report example, logging DLREQ interrupts on four links.</summary>
    public const string Switch3 = "PCI:0000:0a:00.0";

    public static string SwitchFingerprint(string device) => $"sxid:-:{device}";

    public static FaultInput FatalLinkDown(int link, string eventId = "e-2") =>
        Sxid(eventId, 20034, Switch0, link, true, RealLines.Line($"{Switch0}): 20034, Fatal, Link {link} "));

    public static FaultInput DlreqInterrupt(int link, string eventId = "e-2") =>
        Sxid(eventId, 22013, Switch3, link, false, RealLines.Line($"{Switch3}): 22013, Non-fatal, Link {link} "));

    public static FaultInput SoeHalted(string eventId = "e-2") =>
        Sxid(eventId, 26006, "PCI:0004:00:00.0", null, null, RealLines.Line("26006, SOE HALTED"));

    /// <summary>An SXid from a publisher that sends no log line (NVIDIA's always-fatal table names the number).</summary>
    public static FaultInput Numbered(int sxid, bool fatal) => Sxid("e-2", sxid, Switch0, null, fatal, null);

    /// <summary>A line of Fabric Manager's own log, as the agent's Fabric Manager detector reports it.</summary>
    public static FaultInput FabricManagerLog(string fragment) =>
        new(new FaultDetected("e-2", Node, FaultKinds.FabricManager, null, null, RealLines.Line(fragment), T0, "fabricmanager", "train-a"));

    private static FaultInput Sxid(string eventId, int sxid, string device, int? link, bool? fatal, string? line) =>
        new(new FaultDetected(eventId, Node, FaultKinds.Sxid, null, device, line, T0, "kmsg", "train-a", sxid, link, fatal));
}
