using Remediation.Agent.Commands;
using Remediation.Agent.Tests.Support;

namespace Remediation.Agent.Tests;

public sealed class AgentCommandsTests
{
    private sealed record Run(int Exit, string Out, string Err);

    private static Run Dispatch(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = AgentCommands.Dispatch(args, new StringReader(input), output, error, new FixedClock(DateTimeOffset.UnixEpoch), "this-host");
        return new Run(exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("parse", "--help")]
    public void Help_prints_usage_on_stdout_and_succeeds(params string[] args)
    {
        var run = Dispatch("", args);

        Assert.Equal((0, Usage.Text, ""), (run.Exit, run.Out, run.Err));
    }

    [Fact]
    public void Usage_names_exactly_the_options_parse_accepts()
    {
        foreach (var option in new[] { "--node", "--cluster" })
            Assert.Contains(option, Usage.Text);

        var run = Dispatch(Fixtures.Line("GPU-I:05") + "\n", "parse", "--node", "gpu-node-017", "--cluster", "train-a");

        Assert.Equal(0, run.Exit);
        Assert.Contains("\"cluster\":\"train-a\"", run.Out);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("Parse")]
    public void Unknown_command_prints_usage_on_stderr_and_exits_2(string command)
    {
        var run = Dispatch("", command);

        Assert.Equal((2, ""), (run.Exit, run.Out));
        Assert.Contains($"unknown command '{command}'", run.Err);
        Assert.Contains(Usage.Text, run.Err);
    }

    [Fact]
    public void No_command_prints_usage_on_stderr_and_exits_2()
    {
        var run = Dispatch("");

        Assert.Equal((2, "", Usage.Text), (run.Exit, run.Out, run.Err));
    }

    [Fact]
    public void Parse_command_reads_stdin_and_writes_faults()
    {
        var run = Dispatch(Fixtures.Line("GPU-I:05") + "\n", "parse");

        Assert.Equal(0, run.Exit);
        Assert.Contains("\"xid\":94", run.Out);
        Assert.Contains("\"nodeId\":\"this-host\"", run.Out);
    }
}
