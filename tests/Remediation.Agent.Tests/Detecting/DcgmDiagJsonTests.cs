using Remediation.Agent.Detecting.Dcgm;
using Remediation.Agent.Tests.Support;

namespace Remediation.Agent.Tests.Detecting;

/// <summary><c>dcgmi diag -j</c> documents of DCGM 3 and 4 (Fixtures/dcgmi/README.md names each source).</summary>
public sealed class DcgmDiagJsonTests
{
    private static string Read(string name) => File.ReadAllText(Path.Combine(Fixtures.Folder, "dcgmi", name));

    [Fact]
    public void A_dcgm_4_failure_names_the_test_the_gpu_and_dcgms_message()
    {
        var result = DcgmDiag.Parse(Read("diag-j-memtest-fail-dcgm4.json"));

        Assert.True(result.Ran);
        Assert.Equal(["memtest: Fail (GPU 0: Temperature 1000 of GPU 0 exceeded user-specified maximum allowed temperature 87)"], result.Failures);
    }

    [Fact]
    public void A_dcgm_3_run_that_skipped_every_test_ran_and_failed_nothing()
    {
        var result = DcgmDiag.Parse(Read("diag-r3-j-skipped-t400-dcgm3.json"));

        Assert.True(result.Passed);
    }

    [Fact]
    public void A_dcgm_3_failure_with_plain_string_warnings_names_its_gpu()
    {
        var json = Read("diag-r3-j-skipped-t400-dcgm3.json").Replace("""
            "name" : "GPU Memory",
            						"results" : 
            						[
            							{
            								"gpu_id" : "0",
            								"status" : "Skip"
            """.ReplaceLineEndings("\n"), """
            "name" : "GPU Memory",
            						"results" : 
            						[
            							{
            								"gpu_id" : "0",
            								"warnings" : [ "Found 1 uncorrectable ECC error(s) on GPU 0" ],
            								"status" : "FAIL"
            """.ReplaceLineEndings("\n"));

        var result = DcgmDiag.Parse(json);

        Assert.Equal(["GPU Memory: Fail (GPU 0: Found 1 uncorrectable ECC error(s) on GPU 0)"], result.Failures);
    }

    [Fact]
    public void A_failed_summary_without_a_failing_entity_still_fails_with_its_own_warning()
    {
        var json = Read("diag-j-memtest-fail-dcgm4.json").Replace("\"status\" : \"Fail\",", "\"status\" : \"Pass\",").Replace("""
            "test_summary" : 
            						{
            							"status" : "Fail"
            """.ReplaceLineEndings("\n"), """
            "test_summary" : 
            						{
            							"warnings" : [ { "warning" : "memtest could not allocate memory", "error_id" : 62 } ],
            							"status" : "Fail"
            """.ReplaceLineEndings("\n"));

        var result = DcgmDiag.Parse(json);

        Assert.Equal(["memtest: Fail (memtest could not allocate memory)"], result.Failures);
    }

    [Fact]
    public void A_runtime_error_is_a_diagnostic_that_did_not_run_with_dcgms_reason()
    {
        // The shape dcgmi writes for a run it could not start (Diag::HelperDisplayFailureMessage), with the reason
        // NVIDIA/DCGM#70 quotes for a node whose other GPU is in MIG mode.
        var result = DcgmDiag.Parse("""
            {
            	"DCGM Diagnostic" : 
            	{
            		"runtime_error" : "GPU 2's MIG configuration is incompatible with the diagnostic because it prevents access to the entire GPU.",
            		"version" : "4.6.0"
            	}
            }
            """);

        Assert.False(result.Ran);
        Assert.Equal("GPU 2's MIG configuration is incompatible with the diagnostic because it prevents access to the entire GPU.", result.NotRun);
    }

    [Theory]
    [InlineData("Error: unable to establish a connection to the specified host: localhost\n")]
    [InlineData("{ \"body\" : {} }")]
    [InlineData("{ \"DCGM Diagnostic\" : ")]
    public void Output_that_is_no_diag_document_is_left_to_the_table_reader(string text) => Assert.Null(DcgmDiagJson.Parse(text));
}
