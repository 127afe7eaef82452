namespace Remediation.Agent.Detecting.Dcgm;

/// <summary>
/// What <c>dcgmi diag -r N</c> found: whether the diagnostic ran, every test that failed, in DCGM's words, and, when it
/// did not run, DCGM's reason where it gave one (<c>runtime_error</c> of its JSON).
/// </summary>
public sealed record DcgmDiagResult(bool Ran, IReadOnlyList<string> Failures, string? NotRun = null)
{
    public bool Passed => Ran && Failures.Count == 0;
}

/// <summary>
/// Reads the text table of <c>dcgmi diag</c> (<c>dcgmi/Diag.cpp</c>): rows <c>| Test | Result |</c>, a result of
/// Pass, Skip, Warn or Fail, with " - All" or " - GPU: N" after it on later levels, and a failing GPU on a row of its own
/// under the test. <c>Warning</c> and <c>Error</c> rows carry DCGM's explanation, wrapped at the cell's width over rows
/// with an empty first cell; an <c>Error</c> row fails the run by itself. The separator rows name the test groups.
/// </summary>
public static class DcgmDiag
{
    private static readonly HashSet<string> Detail = ["Warning", "Error", "Info"];

    /// <summary>Either form dcgmi prints: its JSON (<c>-j</c>, <see cref="DcgmDiagJson"/>) or its text table.</summary>
    public static DcgmDiagResult Parse(string text) => DcgmDiagJson.Parse(text) ?? ParseTable(text);

    private static DcgmDiagResult ParseTable(string text)
    {
        var rows = Rows(text).ToList();
        var ran = rows.Any(r => r.Name == "Diagnostic" && r.Result == "Result");
        var failures = new List<(string Test, string Result, List<string> Details)>();
        string? test = null;
        (string Kind, System.Text.StringBuilder Text)? detail = null;
        foreach (var (name, result, rawResult) in rows.Where(r => !(r.Name == "Diagnostic" && r.Result == "Result")))
        {
            if (name.Length == 0 && detail is { } open)
            {
                open.Text.Append(rawResult);
                continue;
            }
            Close(ref detail, failures, test);
            if (Detail.Contains(name))
            {
                detail = (name, new System.Text.StringBuilder(rawResult));
                if (name == "Error") failures.Add((test ?? "Diagnostic", "Error", []));
                continue;
            }
            if (name.Length > 0) test = name;
            if (result.StartsWith("Fail", StringComparison.OrdinalIgnoreCase)) failures.Add((test ?? "?", result, []));
        }
        Close(ref detail, failures, test);
        return new DcgmDiagResult(ran, failures.Select(f =>
            f.Details.Count == 0 ? $"{f.Test}: {f.Result}" : $"{f.Test}: {f.Result} ({string.Join("; ", f.Details)})").ToList());
    }

    // A Warning or Error row explains the failure of the test above it; Info rows only describe passing GPUs.
    private static void Close(
        ref (string Kind, System.Text.StringBuilder Text)? detail, List<(string Test, string, List<string> Details)> failures, string? test)
    {
        if (detail is { } open && open.Kind != "Info" && failures.Count > 0 && failures[^1].Test == (test ?? "Diagnostic"))
            failures[^1].Details.Add(open.Text.ToString().Trim());
        detail = null;
    }

    private static IEnumerable<(string Name, string Result, string RawResult)> Rows(string text)
    {
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (!line.StartsWith("| ", StringComparison.Ordinal)) continue;
            var cells = line.Split('|');
            if (cells.Length < 3) continue;
            // The cell is " text" padded to its width: its first character is padding, the rest is the text as wrapped.
            var raw = cells[2].Length > 0 ? cells[2][1..].TrimEnd() : "";
            yield return (cells[1].Trim(), cells[2].Trim(), raw);
        }
    }
}
