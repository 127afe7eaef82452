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

    [Fact]
    public async Task Service_started_while_postgresql_is_down_waits_and_says_so_instead_of_exiting()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        var dll = Path.Combine(Repo.Root, "src", "Remediation.Service", "bin", configuration, "net10.0", "Remediation.Service.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0", $"--Runbooks:Directory={Repo.Runbooks}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["REMEDIATION_POSTGRES"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=2";
        using var process = Process.Start(start)!;
        try
        {
            var waiting = false;
            var until = DateTime.UtcNow.AddSeconds(30);
            while (!waiting && DateTime.UtcNow < until && await process.StandardOutput.ReadLineAsync() is { } line)
                waiting = line.Contains("Waiting for PostgreSQL");
            Assert.True(waiting, "no 'Waiting for PostgreSQL' line within 30 s");
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.False(process.HasExited, "the service exited instead of waiting");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
