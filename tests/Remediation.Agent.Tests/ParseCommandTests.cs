using System.Text;
using System.Text.Json;
using Remediation.Agent.Commands;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;

namespace Remediation.Agent.Tests;

public sealed class ParseCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private sealed record Run(int Exit, string[] Out, string Err);

    private static Run RunParse(TextReader input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = new ParseCommand(new FixedClock(Now), "this-host").Run(args, input, output, error);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new Run(exit, lines, error.ToString());
    }

    private static Run RunParse(string input, params string[] args) => RunParse(new StringReader(input), args);

    private static FaultDetected Read(string json) =>
        JsonSerializer.Deserialize<FaultDetected>(json, WireJson.Options) ?? throw new InvalidDataException(json);

    public static TheoryData<string> Files => new(Fixtures.FileNames);

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_fault_in_a_real_log_comes_out_as_one_json_line_that_reads_back_as_fault_detected(string file)
    {
        var lines = Fixtures.Read(file);
        var expected = lines.Where(line => line.Expected is not null).ToList();

        var run = RunParse(string.Join('\n', lines.Select(line => line.Text)) + "\n", "--node", "gpu-node-017", "--cluster", "train-a");

        Assert.Equal(0, run.Exit);
        Assert.Equal(expected.Count, run.Out.Length);
        foreach (var (json, line) in run.Out.Zip(expected))
        {
            var fault = Read(json);
            Assert.Equal(line.Expected, new ExpectedFault(fault.Kind, fault.Xid, fault.Device, fault.Sxid, fault.Link, fault.Fatal));
            Assert.Equal(("gpu-node-017", "train-a", "kmsg", line.Text), (fault.NodeId, fault.Cluster, fault.Source, fault.Message));
            Assert.Null(FaultValidation.Validate(fault));
        }
    }

    [Fact]
    public void An_sxid_is_printed_like_an_xid_with_its_number_switch_link_and_the_drivers_verdict()
    {
        var run = RunParse(Fixtures.Line("[6781753.404587] nvidia-nvswitch0") + "\n");

        using var json = JsonDocument.Parse(Assert.Single(run.Out));
        var root = json.RootElement;
        Assert.Equal(("sxid", 20034, "PCI:0000:05:00.0", 63, true),
            (root.GetProperty("kind").GetString(), root.GetProperty("sxid").GetInt32(), root.GetProperty("device").GetString(),
                root.GetProperty("link").GetInt32(), root.GetProperty("fatal").GetBoolean()));
        Assert.False(root.TryGetProperty("xid", out _));
    }

    [Fact]
    public void Json_is_camel_case_and_leaves_out_what_is_unknown()
    {
        var run = RunParse(Fixtures.Line("[  123.340745] NVRM: os_schedule") + "\n");

        using var json = JsonDocument.Parse(Assert.Single(run.Out));
        var names = json.RootElement.EnumerateObject().Select(property => property.Name).Order();
        Assert.Equal(["eventId", "kind", "message", "nodeId", "observedAt", "source"], names);
        Assert.Equal("driver_hang", json.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public void Observed_at_comes_from_the_line_when_it_has_an_absolute_stamp()
    {
        var run = RunParse(Fixtures.Line("[Fri Aug 30 11:43:14 2024]") + "\n");

        Assert.Equal(new DateTimeOffset(2024, 8, 30, 11, 43, 14, TimeSpan.Zero), Read(Assert.Single(run.Out)).ObservedAt);
    }

    [Fact]
    public void Node_defaults_to_the_host_name()
    {
        var run = RunParse(Fixtures.Line("GPU-I:05") + "\n");

        Assert.Equal("this-host", Read(Assert.Single(run.Out)).NodeId);
    }

    [Fact]
    public void Empty_input_prints_nothing_and_succeeds()
    {
        var run = RunParse("");

        Assert.Equal((0, 0, ""), (run.Exit, run.Out.Length, run.Err));
    }

    [Fact]
    public void Binary_junk_and_invalid_utf8_around_a_real_line_yield_only_that_line()
    {
        var junk = new byte[64 * 1024];
        new Random(42).NextBytes(junk);
        var real = Fixtures.Line("(PCI:0018:01:00): 145, RLW_RXPIPE");
        var bytes = junk.Concat(new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0x0A }).Concat(Encoding.UTF8.GetBytes(real + "\n"))
            .Concat(new byte[] { 0xED, 0xA0, 0x80, 0x00, 0x0A }).ToArray();
        using var input = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false, throwOnInvalidBytes: false));

        var run = RunParse(input);

        Assert.Equal(0, run.Exit);
        Assert.Equal(real, Read(Assert.Single(run.Out)).Message);
    }

    [Fact]
    public void Overlong_line_is_skipped_and_the_next_fault_still_comes_out()
    {
        var real = Fixtures.Line("NVRM: Xid (PCI:0000:01:00): 154");

        var run = RunParse("NVRM: Xid (PCI:0000:01:00): 79, " + new string('A', 1 << 20) + "\n" + real + "\n");

        Assert.Equal(real, Read(Assert.Single(run.Out)).Message);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--node")]
    [InlineData("--cluster")]
    [InlineData("--node", "has space")]
    [InlineData("--node", "")]
    public void Bad_option_prints_usage_on_stderr_and_exits_2(params string[] args)
    {
        var run = RunParse(Fixtures.Line("GPU-I:05") + "\n", args);

        Assert.Equal(2, run.Exit);
        Assert.Empty(run.Out);
        Assert.Contains("usage: remediation-agent", run.Err);
    }
}
