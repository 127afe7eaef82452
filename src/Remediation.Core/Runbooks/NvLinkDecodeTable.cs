using System.Globalization;

namespace Remediation.Core.Runbooks;

/// <summary>
/// NVIDIA's "XID 144-150 Decode" table: for an NVLink5 Xid, the unit it names, its intrInfo bit pattern and its
/// errorStatus give the resolution (IGNORE, RESET_GPU, XID_154_EVAL), instead of one action for the Xid number.
/// </summary>
public sealed class NvLinkDecodeTable(IReadOnlyList<NvLinkRule> rules)
{
    public const string FileName = "xid-nvlink5-decode.tsv";

    public IReadOnlyList<NvLinkRule> Rules => rules;

    /// <summary>NVIDIA's verdict on this Xid's line, or null when it is no NVLink5 Xid or the table has no row for it.</summary>
    public NvLinkVerdict? Decode(int xid, string? message)
    {
        if (rules.All(r => r.Xid != xid) || NvLinkXidFields.Read(xid, message) is not { } fields) return null;
        return rules.FirstOrDefault(r => r.Matches(xid, fields)) is { } rule ? new NvLinkVerdict(xid, fields, rule) : null;
    }

    /// <summary>Reads the table; a malformed row stops start-up with the file and line, like a bad runbook.</summary>
    public static NvLinkDecodeTable Load(string path)
    {
        var rules = new List<NvLinkRule>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("xid\t", StringComparison.Ordinal)) continue;
            rules.Add(NvLinkRule.Parse(line) ?? throw new RunbookFileException(path, i + 1, $"not a decode row: '{line}'"));
        }
        return new NvLinkDecodeTable(rules);
    }
}

/// <summary>One row of the decode table.</summary>
public sealed record NvLinkRule(
    int Xid, string Unit, string PatternV1, string PatternV2, uint ErrorStatus, string ImmediateAction, string InvestigatoryAction, string Severity)
{
    /// <summary>
    /// The driver names one unit where the table may list its aliases ("NETIR_LINK_EVT/NETIR_LINK_DOWN"); intrInfo
    /// must fit either release's pattern and errorStatus must be the row's.
    /// </summary>
    public bool Matches(int xid, NvLinkXidFields fields) =>
        xid == Xid && fields.ErrorStatus == ErrorStatus && Unit.Split('/').Contains(fields.Unit, StringComparer.Ordinal)
        && (Fits(PatternV1, fields.IntrInfo) || Fits(PatternV2, fields.IntrInfo));

    private static bool Fits(string pattern, uint value)
    {
        if (pattern.Length != 32) return false;
        for (var i = 0; i < 32; i++)
        {
            var bit = (value >> (31 - i)) & 1;
            if (pattern[i] == '1' && bit == 0 || pattern[i] == '0' && bit == 1) return false;
        }
        return true;
    }

    public static NvLinkRule? Parse(string line)
    {
        var cells = line.Split('\t');
        if (cells.Length < 8 || !int.TryParse(cells[0], CultureInfo.InvariantCulture, out var xid)
            || !cells[4].StartsWith("0x", StringComparison.Ordinal)
            || !uint.TryParse(cells[4].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var status)
            || cells[2].Length != 32 || cells[3].Length != 32)
            return null;
        return new NvLinkRule(xid, cells[1], cells[2], cells[3], status, cells[5], cells[6], cells[7]);
    }
}

/// <summary>What NVIDIA's decode table says about one NVLink5 Xid line.</summary>
public sealed record NvLinkVerdict(int Xid, NvLinkXidFields Fields, NvLinkRule Rule)
{
    /// <summary>
    /// IGNORE needs nothing; XID_154_EVAL means "take the action of an accompanying Xid 154, else restart the
    /// application", and an Xid 154 arrives as its own fault.
    /// </summary>
    public bool NeedsNothing => Rule.ImmediateAction is "IGNORE" or "XID_154_EVAL";

    public override string ToString() =>
        $"Xid {Xid} {Fields.Unit} {(Fields.Fatal ? "Fatal" : "Nonfatal")} link {Fields.Link} errorStatus 0x{Fields.ErrorStatus:x8} " +
        $"(NVIDIA's NVLink5 decode: {Rule.ImmediateAction}, {Rule.Severity})";
}
