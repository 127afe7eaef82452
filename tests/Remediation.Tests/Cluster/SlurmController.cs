using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Remediation.Service.Cluster.Slurm;

namespace Remediation.Tests.Cluster;

/// <summary>
/// A real slurmctld from Debian's packages on a free loopback port with its own temporary state, for one test class.
/// No slurmd runs, so every node is UNKNOWN; drain and undrain work on it all the same.
/// </summary>
public sealed class SlurmController : IAsyncLifetime
{
    public const int Nodes = 12;

    private Process? _ctld;
    private string _dir = "";

    public string Conf => Path.Combine(_dir, "slurm.conf");
    public string Log => Path.Combine(_dir, "slurmctld.log");

    public SlurmOptions Options => new() { Conf = Conf, Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("slurmctld-").FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "state"));
        Directory.CreateDirectory(Path.Combine(_dir, "spool"));
        await File.WriteAllTextAsync(Conf, $"""
            ClusterName=remediation-test
            SlurmctldHost={Dns.GetHostName()}
            SlurmctldPort={FreePort()}
            SlurmUser=root
            StateSaveLocation={_dir}/state
            SlurmdSpoolDir={_dir}/spool
            SlurmctldPidFile={_dir}/slurmctld.pid
            AuthType=auth/none
            CredType=cred/none
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            NodeName=gpu-node-[001-{Nodes:000}] NodeHostname=localhost CPUs=2 State=UNKNOWN
            PartitionName=gpu Nodes=ALL Default=YES State=UP

            """);
        var start = new ProcessStartInfo("slurmctld")
        {
            ArgumentList = { "-D", "-c", "-f", Conf, "-L", Log },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["SLURM_CONF"] = Conf },
        };
        try
        {
            _ctld = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("slurmctld is not installed: run deploy/local/slurm.sh (apt-get install slurmctld slurm-client)", e);
        }
        _ctld.OutputDataReceived += (_, _) => { };
        _ctld.ErrorDataReceived += (_, _) => { };
        _ctld.BeginOutputReadLine();
        _ctld.BeginErrorReadLine();
        await WaitUntilUpAsync();
    }

    private async Task WaitUntilUpAsync()
    {
        for (var i = 0; i < 60; i++)
        {
            if (_ctld!.HasExited) break;
            if ((await RunAsync("scontrol", "ping")).Contains("is UP", StringComparison.Ordinal)) return;
            await Task.Delay(500);
        }
        var log = File.Exists(Log) ? await File.ReadAllTextAsync(Log) : "(no log)";
        throw new InvalidOperationException($"slurmctld did not come up; its log:\n{log}");
    }

    /// <summary>Drains a node the way an operator would, outside remediation.</summary>
    public Task<string> DrainByHandAsync(string node, string reason) =>
        RunAsync("scontrol", "update", $"NodeName={node}", "State=DRAIN", $"Reason={reason}");

    /// <summary>The node as sinfo reports it (state|reason), a second opinion beside the adapter's own reading.</summary>
    public async Task<(string State, string Reason)> SinfoAsync(string node)
    {
        var line = (await RunAsync("sinfo", "-h", "-N", "-n", node, "-o", "%T|%E")).Trim();
        var parts = line.Split('|', 2);
        return (parts[0], parts.Length > 1 ? parts[1] : "");
    }

    public async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["SLURM_CONF"] = Conf;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await stdout + await stderr;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (_ctld is { HasExited: false })
        {
            _ctld.Kill();
            await _ctld.WaitForExitAsync();
        }
        _ctld?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
