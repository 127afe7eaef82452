namespace Remediation.Agent.Detecting.Dcgm;

/// <summary>One row of a dcgmi box table: the left cell's tree depth and label, and the right cell.</summary>
public sealed record DcgmRow(int Depth, string Label, string Value);

/// <summary>
/// Reads the rows of dcgmi's text tables (<c>DcgmiOutputTree</c>): <c>| left | right |</c>, where a child's label is
/// indented three spaces a level and prefixed <c>-&gt; </c>, and a row with an empty left cell continues the value above.
/// </summary>
public static class DcgmTable
{
    private const string Arrow = "-> ";

    public static IEnumerable<DcgmRow> Rows(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ');
            if (!line.StartsWith("| ", StringComparison.Ordinal) || !line.EndsWith(" |", StringComparison.Ordinal)) continue;
            var inner = line[2..^2];
            var split = inner.IndexOf(" | ", StringComparison.Ordinal);
            if (split < 0) continue;
            var left = inner[..split].TrimEnd();
            var value = inner[(split + 3)..].Trim();
            var arrow = left.IndexOf(Arrow, StringComparison.Ordinal);
            yield return arrow < 0
                ? new DcgmRow(0, left.Trim(), value)
                : new DcgmRow(arrow / Arrow.Length + 1, left[(arrow + Arrow.Length)..].Trim(), value);
        }
    }
}
