using Remediation.Agent.Detecting.Dcgm;
using Remediation.Agent.Tests.Support;

namespace Remediation.Agent.Tests.Detecting;

/// <summary><c>dcgmi diag</c> tables as DCGM prints them (Fixtures/dcgmi/README.md names each source).</summary>
public sealed class DcgmDiagTests
{
    private static string Read(string name) => File.ReadAllText(Path.Combine(Fixtures.Folder, "dcgmi", name));

    [Fact]
    public void A_level_1_run_passes_with_no_failures()
    {
        var result = DcgmDiag.Parse(Read("diag-r1-pass-a10g-dcgm339.txt"));

        Assert.True(result.Passed);
        Assert.Empty(result.Failures);
    }

    [Fact]
    public void A_failing_gpu_under_a_test_is_named_with_dcgms_warning_unwrapped()
    {
        var result = DcgmDiag.Parse(Read("diag-r3-targeted-power-fail-a10g-dcgm339.txt"));

        Assert.False(result.Passed);
        Assert.Equal(
            ["Targeted Power: Fail - GPU: 1 (GPU 1 Max power of 224.1 did not reach desired power minimum target_power_min_ratio of 224.2 " +
             "for GPU 1 Verify that the clock speeds and GPU utilization are high.)"],
            result.Failures);
    }

    [Fact]
    public void Every_failed_deployment_test_is_listed()
    {
        var result = DcgmDiag.Parse(Read("diag-r1-deployment-fail-prolog.txt"));

        Assert.Equal(["Persistence Mode: Fail", "Environment Variables: Fail", "Page Retirement: Fail", "Graphics Processes: Fail", "Inforom: Fail"],
            result.Failures);
    }

    // The rows a run printed on a node with pending row remaps (stas00/ml-engineering, "dcgm diag" section).
    [Fact]
    public void An_error_row_fails_the_run_with_its_text()
    {
        const string rows = """
            Successfully ran diagnostic for group.
            +---------------------------+------------------------------------------------+
            | Diagnostic                | Result                                         |
            +===========================+================================================+
            |-----  Deployment  --------+------------------------------------------------|
            | Error                     | GPU 3 has uncorrectable memory errors and row  |
            |                           |  remappings are pending                        |
            """;

        var failure = Assert.Single(DcgmDiag.Parse(rows).Failures);

        Assert.Equal("Diagnostic: Error (GPU 3 has uncorrectable memory errors and row remappings are pending)", failure);
    }

    [Fact]
    public void No_host_engine_means_the_diagnostic_did_not_run()
    {
        var result = DcgmDiag.Parse("Error: unable to establish a connection to the specified host: localhost\n" +
            "Error: Unable to connect to host engine. Host engine connection invalid/disconnected.\n");

        Assert.False(result.Ran);
        Assert.False(result.Passed);
    }
}
