using System.Diagnostics;
using System.Text;

namespace Remediation.Agent.Running;

/// <summary>Starts the program directly (<c>UseShellExecute = false</c>, <c>ArgumentList</c>), output capped, killed on timeout.</summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    private const int MaxOutputChars = 64 * 1024;

    public async Task<CommandResult> RunAsync(Argv command, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(command.File)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in command.Args) start.ArgumentList.Add(arg);

        var output = new StringBuilder();
        void Collect(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output)
            {
                if (output.Length < MaxOutputChars) output.AppendLine(e.Data);
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult(127, $"cannot start {command.File}: {e.Message}");
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            return new CommandResult(process.ExitCode, Text(output), TimedOut: true);
        }
        // WaitForExitAsync returns once the output pipes close, so the collected text is complete.
        return new CommandResult(process.ExitCode, Text(output));
    }

    private static string Text(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}
