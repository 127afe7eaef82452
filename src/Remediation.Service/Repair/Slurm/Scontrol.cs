using System.ComponentModel;
using System.Diagnostics;

namespace Remediation.Service.Repair.Slurm;

/// <summary>Runs scontrol as an argument vector, never through a shell, so no field can become a command.</summary>
public sealed class Scontrol(SlurmOptions options)
{
    public sealed record Run(int ExitCode, string Output)
    {
        public bool Succeeded => ExitCode == 0;
    }

    public async Task<Run> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(options.Scontrol)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (!string.IsNullOrEmpty(options.Conf)) start.Environment["SLURM_CONF"] = options.Conf;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new SchedulerException($"{options.Scontrol} did not start");
        }
        catch (Win32Exception e)
        {
            throw new SchedulerException($"cannot run {options.Scontrol}: {e.Message}", e);
        }
        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                var output = (await stdout + await stderr).Trim();
                return new Run(process.ExitCode, output);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (ct.IsCancellationRequested) throw;
                throw new SchedulerException($"scontrol {string.Join(' ', args)} gave no answer within {options.Timeout}");
            }
        }
    }
}
