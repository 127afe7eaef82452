namespace Remediation.Specs;

/// <summary>The README and docs/fault-kinds.md each have a table row for every fault kind on the wire.</summary>
public sealed class FaultKindDocsTests
{
    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/fault-kinds.md")]
    public void Every_fault_kind_has_a_row_saying_where_it_is_detected_and_which_runbook_takes_it(string file)
    {
        var rows = File.ReadLines(Path.Combine(Repo.Root, file)).Where(line => line.StartsWith("| `", StringComparison.Ordinal)).ToList();

        var missing = FaultKinds.All.Where(kind => !rows.Any(row => row.StartsWith($"| `{kind}` |", StringComparison.Ordinal))).ToList();

        Assert.Empty(missing);
    }
}
