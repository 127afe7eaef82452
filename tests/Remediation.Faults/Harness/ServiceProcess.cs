using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Remediation.Faults.Harness;

/// <summary>
/// The real service as a separate OS process, so a kill -9 is a real crash: no finalizers, no graceful shutdown,
/// nothing flushed that was not committed. Its output goes to a log file per scenario.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string Token = "faults-suite-token";

    private readonly string _dll;
    private readonly IReadOnlyList<string> _args;
    private readonly StreamWriter _log;
    private Process? _process;

    public ServiceProcess(string dll, string postgres, Uri rabbitMq, string schema, string logPath, params string[] settings)
    {
        _dll = dll;
        Url = $"http://127.0.0.1:{FreePort()}";
        _args =
        [
            "--urls", Url, $"--Schema={schema}", "--Decider:AutoApprove=true", $"--Api:Tokens:faults={Token}", "--Api:Roles:faults=operator,approver",
            $"--REMEDIATION_POSTGRES={postgres}", $"--REMEDIATION_RABBITMQ={rabbitMq}", "--Logging:LogLevel:Default=Warning",
            "--Logging:Console:TimestampFormat=HH:mm:ss.fff ",
            // A wedged transport is given up on sooner than in production, so that the restart its supervisor would
            // make falls inside a scenario's window.
            "--Health:WedgedAfter=00:00:45",
            // These scenarios break the plumbing, not the fleet: the safety policies that would rightly hold back a
            // storm of Xids on hundreds of nodes (fleet budget, storm sense) are opened wide so every runbook runs.
            "--Budget:MaxDisruptive=100000", "--Budget:MaxOutOfServicePercent=100", "--Storm:XidNodes=100000",
            .. settings,
        ];
        _log = new StreamWriter(logPath) { AutoFlush = true };
    }

    public string Url { get; }

    /// <summary>The process ended on its own (not killed by the harness): what an outage must never cause.</summary>
    public bool Exited => _process is { HasExited: true };

    /// <summary>
    /// How often the service stopped itself because its transport was wedged (exit code 75, or an abort when that stop
    /// hung) and was started again here, as Kubernetes or systemd would.
    /// </summary>
    public int Restarts { get; private set; }

    /// <summary>It said it is wedged and is stopping, to be started again.</summary>
    public bool Wedging => _saidWedged;

    /// <summary>Said by the service in the log when it gives up on a wedged transport.</summary>
    private const string WedgedSaid = "The transport is wedged";

    private volatile bool _saidWedged;

    /// <summary>Starts the process and, unless told otherwise, waits until it answers HTTP (its bus and recovery are up).</summary>
    public async Task StartAsync(CancellationToken ct, bool waitUntilUp = true)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(_dll);
        _process?.Dispose();
        foreach (var arg in _args) start.ArgumentList.Add(arg);
        var process = _process = Process.Start(start)!;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => RestartIfWedged(process);
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Write($"--- started pid {_process.Id} at {DateTimeOffset.UtcNow:O}");
        if (waitUntilUp) await WaitUntilUpAsync(ct);
    }

    private void RestartIfWedged(Process process)
    {
        // 75 is the service's exit for a wedged transport; an abort (134) follows when that stop itself hung, but is
        // also what any unhandled exception ends with, so it counts only after the service said why.
        if (process != _process || !(process.ExitCode == 75 || process.ExitCode == 134 && _saidWedged)) return;
        _saidWedged = false;
        Restarts++;
        Write($"--- exited with {process.ExitCode} (transport wedged) at {DateTimeOffset.UtcNow:O}; starting it again");
        _ = StartAsync(CancellationToken.None, waitUntilUp: false);
    }

    /// <summary>SIGKILL: the process gets no chance to ack, flush or close anything.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
        Write($"--- killed -9 at {DateTimeOffset.UtcNow:O}");
    }

    /// <summary>
    /// A full dump of the live process, next to its log, when dotnet-dump is installed (<c>dotnet tool install -g
    /// dotnet-dump</c>); read it with <c>dotnet-dump analyze FILE -c "dumpasync --coalesce"</c>. Null when not dumped.
    /// </summary>
    public async Task<string?> DumpAsync(CancellationToken ct)
    {
        if (_process is not { HasExited: false } process || DumpTool() is not { } tool) return null;
        var path = Path.ChangeExtension(((FileStream)_log.BaseStream).Name, ".dmp");
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "collect", "-p", process.Id.ToString(), "-o", path }) start.ArgumentList.Add(arg);
        using var dump = Process.Start(start)!;
        await dump.WaitForExitAsync(ct);
        return dump.ExitCode == 0 ? path : null;
    }

    private static string? DumpTool()
    {
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append(home);
        return dirs.Select(dir => Path.Combine(dir, "dotnet-dump")).FirstOrDefault(File.Exists);
    }

    public async Task WaitUntilUpAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"the service exited with {_process.ExitCode}; see {((FileStream)_log.BaseStream).Name}");
            try
            {
                // Any answer means Kestrel is up, and it starts after the hosted services (bus, recovery) have.
                await http.GetAsync($"{Url}/health", ct);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200, ct);
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }
        throw new TimeoutException($"the service did not answer on {Url} within 60s");
    }

    private void Write(string? line)
    {
        if (line is null) return;
        if (line.Contains(WedgedSaid, StringComparison.Ordinal)) _saidWedged = true;
        lock (_log) _log.WriteLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        lock (_log) _log.Dispose();
    }
}
