namespace Remediation.Core.Runbooks;

/// <summary>NVIDIA's Xid catalog: for each Xid, the resolution bucket NVIDIA names as the immediate action.</summary>
public sealed class XidCatalog(IReadOnlyDictionary<int, XidEntry> entries)
{
    public const string FileName = "xid-catalog.tsv";

    /// <summary>Buckets after which the node itself needs nothing: the application, a VM or another Xid owns the fault.</summary>
    private static readonly HashSet<string> InformationalBuckets =
        ["IGNORE", "XID_154", "RESTART_APP", "RESTART_VM", "CHECK_UVM", "WORKFLOW_XID_45"];

    public XidEntry? this[int xid] => entries.GetValueOrDefault(xid);

    public IEnumerable<int> XidsInBucket(string bucket) =>
        entries.Values.Where(e => e.ImmediateAction == bucket).Select(e => e.Xid);

    public bool HasBucket(string bucket) => entries.Values.Any(e => e.ImmediateAction == bucket);

    public static bool IsInformational(XidEntry entry) => InformationalBuckets.Contains(entry.ImmediateAction);

    public static XidCatalog Load(string path)
    {
        var entries = new Dictionary<int, XidEntry>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.StartsWith("xid\t", StringComparison.Ordinal) || line.Length == 0) continue;
            var cells = line.Split('\t');
            if (cells.Length < 8 || !int.TryParse(cells[0], out var xid)) continue;
            entries[xid] = new XidEntry(xid, cells[1], cells[2], cells[7]);
        }
        return new XidCatalog(entries);
    }
}

public sealed record XidEntry(int Xid, string Mnemonic, string Description, string ImmediateAction);
