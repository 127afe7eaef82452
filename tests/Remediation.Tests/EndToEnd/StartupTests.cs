using System.Diagnostics;

namespace Remediation.Tests.EndToEnd;

/// <summary>What an operator sees when the service cannot start: the runbook file and line, and a failing exit code.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Service_refuses_to_start_on_a_broken_runbook_and_says_where()
    {
        using var runbooks = new EditedRunbooks(("gpu-reset.yaml", "    retries: 1", "\tretries: 1"));
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        var dll = Path.Combine(Repo.Root, "src", "Remediation.Service", "bin", configuration, "net10.0", "Remediation.Service.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, $"--Runbooks:Directory={runbooks.Dir}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(1, process.ExitCode);
        Assert.Contains($"{runbooks.PathOf("gpu-reset.yaml")}:13: invalid YAML: a tab in the indentation", stderr);
    }
}
