using Remediation.Contracts;

namespace Remediation.Agent.Detecting.KernelLog;

/// <summary>
/// NVSwitch SXid lines. Each error the driver logs is one line with its verdict ("Fatal, Link 30 LTSSM Fault Up"),
/// followed by lines from the driver's error log for the same error ("Severity 1 Engine instance 30 …" and
/// "Data {…}", error_nvswitch.c); those repeat what the first line said, so they are not faults of their own.
/// A line without a verdict (e.g. "SOE HALTED") leaves fatality unknown rather than guessing.
/// </summary>
internal static class NvSwitchErrors
{
    private const string ErrorLogEntry = "Severity ";
    private const string ErrorLogData = "Data {";

    public static KernelFinding? Find(string line)
    {
        var sxid = KernelLogPatterns.SxidLine().Match(line);
        if (!sxid.Success) return null;
        var detail = sxid.Groups["detail"].ValueSpan;
        if (detail.StartsWith(ErrorLogEntry, StringComparison.Ordinal) || detail.StartsWith(ErrorLogData, StringComparison.Ordinal))
            return null;

        var verdict = KernelLogPatterns.SxidSeverity().Match(sxid.Groups["detail"].Value);
        bool? fatal = verdict.Success ? verdict.Groups["severity"].ValueSpan is "Fatal" : null;
        int? link = verdict.Groups["link"].Success ? int.Parse(verdict.Groups["link"].ValueSpan) : null;
        return new KernelFinding(FaultKinds.Sxid, null, "PCI:" + sxid.Groups["device"].Value,
            int.Parse(sxid.Groups["sxid"].ValueSpan), link, fatal);
    }
}
