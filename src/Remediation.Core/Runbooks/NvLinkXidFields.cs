using System.Globalization;
using System.Text.RegularExpressions;

namespace Remediation.Core.Runbooks;

/// <summary>
/// The fields an NVLink5 Xid (144-150) line carries, in NVIDIA's words "Xid (PCI:…): &lt;Xid&gt; &lt;sub component&gt;
/// &lt;fatal vs nonfatal&gt; &lt;Crosscontain&gt; &lt;injected&gt; &lt;link&gt; (&lt;intrInfo&gt; &lt;errorStatus&gt; …)" (Xid
/// catalog, WORKFLOW_NVLINK5_ERR). The driver may name the process first and pads the unit and verdict into columns.
/// </summary>
public sealed partial record NvLinkXidFields(string Unit, bool Fatal, int Link, uint IntrInfo, uint ErrorStatus)
{
    [GeneratedRegex(@"NVRM: Xid \([^)]{1,64}\): (?<xid>\d{3}), (?:pid=[^,]{0,32}, name=[^,]{0,256}, )?(?<unit>[A-Z0-9_/]{1,64}) +(?<verdict>Fatal|Nonfatal) +XC\d{1,3} +i\d{1,3} +Link (?<link>-?\d{1,3}) \((?<intr>0x[0-9a-fA-F]{8}) (?<status>0x[0-9a-fA-F]{8})", RegexOptions.CultureInvariant)]
    private static partial Regex Line();

    /// <summary>The fields of <paramref name="message"/> if it is the line of NVLink5 Xid <paramref name="xid"/>; null otherwise.</summary>
    public static NvLinkXidFields? Read(int xid, string? message)
    {
        if (message is null || Line().Match(message) is not { Success: true } match
            || int.Parse(match.Groups["xid"].ValueSpan, CultureInfo.InvariantCulture) != xid)
            return null;
        return new NvLinkXidFields(match.Groups["unit"].Value, match.Groups["verdict"].ValueSpan is "Fatal",
            int.Parse(match.Groups["link"].ValueSpan, CultureInfo.InvariantCulture), Hex(match.Groups["intr"].ValueSpan),
            Hex(match.Groups["status"].ValueSpan));
    }

    private static uint Hex(ReadOnlySpan<char> text) => uint.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
