using System.Diagnostics;
using Remediation.Service.Runbooks;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Specs;

public sealed class RunbookLoadingTests
{
    [Fact]
    public void Real_runbooks_load_into_the_ladder()
    {
        var set = RunbookLoader.LoadDirectory(RepoPaths.Runbooks);
        Assert.Equal(0, set.Height("cordon-and-rma"));
        Assert.Equal(3, set.Height("gpu-reset"));
    }

    [Theory]
    [InlineData("gpu-reset.yaml", "action: gpu_reset", "action: gpu_rest", 10, "unknown action 'gpu_rest'")]
    [InlineData("gpu-reset.yaml", "timeout: 2m", "timeout: soon", 12, "must be a duration")]
    [InlineData("reboot.yaml", "onFailure: cordon-and-rma", "onFailure: cordon-and-pray", 16, "unknown runbook 'cordon-and-pray'")]
    [InlineData("cordon-and-rma.yaml", "  - xids: [95]", "  - xids: [9999]", 6, "'9999' is not an Xid")]
    [InlineData("driver-reload.yaml", "  - kinds: [driver_hang]", "  - kinds: [driver_hang]\n    sometimes: yes", 7, "unknown key 'sometimes'")]
    public void Broken_runbook_names_its_file_and_line(string file, string from, string to, int line, string reason)
    {
        var dir = RepoPaths.RunbooksWith((file, from, to));
        var error = Assert.Throws<RunbookFileException>(() => RunbookLoader.LoadDirectory(dir));
        Assert.Equal(Path.Combine(dir, file), error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public async Task Service_refuses_to_start_on_a_broken_runbook_and_says_where()
    {
        var dir = RepoPaths.RunbooksWith(("gpu-reset.yaml", "    retries: 1", "\tretries: 1"));
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        var dll = Path.Combine(RepoPaths.Root, "src", "Remediation.Service", "bin", configuration, "net10.0", "Remediation.Service.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, $"--Runbooks:Directory={dir}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(1, process.ExitCode);
        Assert.Contains($"{Path.Combine(dir, "gpu-reset.yaml")}:12:", stderr);
    }
}
