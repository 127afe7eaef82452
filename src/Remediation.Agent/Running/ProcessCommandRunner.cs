using System.Diagnostics;
using System.Text;

namespace Remediation.Agent.Running;

/// <summary>
/// Starts the program directly (<c>UseShellExecute = false</c>, <c>ArgumentList</c>), output capped, killed on timeout.
/// After the kill it waits at most <paramref name="killGrace"/>: a process stuck in the kernel (an Xid 79 or GSP hang
/// leaves nvidia-smi in uninterruptible sleep) ignores SIGKILL, and an escaped descendant can hold its output open.
/// </summary>
public sealed class ProcessCommandRunner(TimeSpan killGrace) : ICommandRunner
{
    private const int MaxOutputChars = 64 * 1024;
    public static readonly TimeSpan DefaultKillGrace = TimeSpan.FromSeconds(10);

    public ProcessCommandRunner() : this(DefaultKillGrace)
    {
    }

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
            Kill(process);
            var gone = await ExitedWithinAsync(process, killGrace);
            ct.ThrowIfCancellationRequested();
            if (gone) return new CommandResult(process.ExitCode, Text(output), TimedOut: true);
            var code = process.HasExited ? process.ExitCode : -1;
            return new CommandResult(code, Text(output) + string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{command.File} (pid {process.Id}) did not finish within {killGrace.TotalSeconds:0.#}s of SIGKILL " +
                $"(stuck in the kernel, or a descendant holds its output); abandoned\n"), TimedOut: true);
        }
        // WaitForExitAsync returns once the output pipes close, so the collected text is complete.
        return new CommandResult(process.ExitCode, Text(output));
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
    }

    private static async Task<bool> ExitedWithinAsync(Process process, TimeSpan grace)
    {
        using var limit = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}
