using Remediation.Agent.Detecting.KernelLog;
using Remediation.Agent.Tests.Support;

namespace Remediation.Agent.Tests;

public sealed class RealLogFixtureTests
{
    public static TheoryData<string> Files => new(Fixtures.FileNames);

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_real_line_yields_exactly_the_fault_it_is_annotated_with(string file)
    {
        var parser = new KernelLogParser("gpu-node-017", null, new FixedClock(DateTimeOffset.UnixEpoch));
        var wrong = new List<string>();
        foreach (var line in Fixtures.Read(file))
        {
            var fault = parser.Parse(line.Text);
            var actual = fault is null ? null : new ExpectedFault(fault.Kind, fault.Xid, fault.Device, fault.Sxid, fault.Link, fault.Fatal);
            if (actual != line.Expected)
                wrong.Add($"{file}:{line.Number}: expected {line.Expected?.ToString() ?? "nothing"}, got {actual?.ToString() ?? "nothing"}\n    {line.Text}");
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void Fixtures_cover_every_kind_the_parser_reports_and_plenty_of_noise()
    {
        var lines = Fixtures.All.ToList();
        var kinds = lines.Select(line => line.Expected?.Kind).OfType<string>().ToHashSet();

        Assert.Equal(["driver_hang", "link_down", "link_flap", "sxid", "xid"], kinds.Order());
        Assert.True(lines.Count(line => line.Expected is null) >= 20, "too few real lines that must produce nothing");
        Assert.True(lines.Select(line => line.Expected?.Xid).OfType<int>().Distinct().Count() >= 20, "too few distinct Xids");
    }

    [Fact]
    public void Nvswitch_fixtures_hold_fatal_non_fatal_and_unnamed_verdicts_and_the_drivers_follow_up_lines()
    {
        var lines = Fixtures.Read("nvswitch.log");
        var sxids = lines.Select(line => line.Expected).Where(e => e?.Kind == "sxid").ToList();

        Assert.Contains(sxids, e => e!.Fatal == true);
        Assert.Contains(sxids, e => e!.Fatal == false);
        Assert.Contains(sxids, e => e!.Fatal is null && e.Link is null);
        Assert.True(lines.Count(line => line.Expected is null && line.Text.Contains("Severity ", StringComparison.Ordinal)) >= 3);
        Assert.True(lines.Count(line => line.Expected is null && line.Text.Contains("Data {", StringComparison.Ordinal)) >= 2);
    }
}
