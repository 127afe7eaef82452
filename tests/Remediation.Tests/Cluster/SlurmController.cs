using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Remediation.Service.Repair.Slurm;

namespace Remediation.Tests.Cluster;

/// <summary>
/// A real slurmctld from Debian's packages on a free loopback port with its own temporary state, for one test class.
/// Nodes without a slurmd are UNKNOWN; drain and undrain work on them all the same. One node, <see cref="Running"/>,
/// has a real slurmd (the others' port has nothing listening, so they stay UNKNOWN), so jobs run on it (a <c>sleep</c>) and drains and reboots go through their real states; its
/// RebootProgram is a script that only writes a line to <see cref="RebootLog"/>.
/// </summary>
public sealed class SlurmController : IAsyncLifetime
{
    public const int Nodes = 12;
    public const string Running = "gpu-node-012";

    private Process? _ctld;
    private Process? _slurmd;
    private string _dir = "";

    public string Conf => Path.Combine(_dir, "slurm.conf");
    public string Log => Path.Combine(_dir, "slurmctld.log");
    public string RebootLog => Path.Combine(_dir, "reboots.log");

    public SlurmOptions Options => new() { Conf = Conf, Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("slurmctld-").FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "state"));
        Directory.CreateDirectory(Path.Combine(_dir, "spool"));
        var rebootProgram = Path.Combine(_dir, "fake-reboot.sh");
        await File.WriteAllTextAsync(rebootProgram, $"#!/bin/sh\necho \"reboot asked: $*\" >> {RebootLog}\n");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("slurmctld runs on Linux");
        File.SetUnixFileMode(rebootProgram, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(Conf, $"""
            ClusterName=remediation-test
            SlurmctldHost={Dns.GetHostName()}
            SlurmctldPort={FreePort()}
            SlurmUser=root
            StateSaveLocation={_dir}/state
            SlurmdSpoolDir={_dir}/spool
            SlurmctldPidFile={_dir}/slurmctld.pid
            SlurmdPort={FreePort()}
            SlurmdPidFile={_dir}/slurmd.pid
            RebootProgram={rebootProgram}
            JobAcctGatherType=jobacct_gather/none
            AuthType=auth/none
            CredType=cred/none
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            NodeName=gpu-node-[001-{Nodes - 1:000}] NodeHostname=localhost Port={FreePort()} CPUs=2 State=UNKNOWN
            NodeName={Running} NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
            PartitionName=gpu Nodes=ALL Default=YES State=UP

            """);
        _ctld = Start("slurmctld", "-D", "-c", "-f", Conf, "-L", Log);
        await WaitUntilUpAsync();
        _slurmd = Start(Slurmd[0], Slurmd[1..]);
        await WaitUntilRegisteredAsync();
    }

    private string[] Slurmd => ["slurmd", "-D", "-N", Running, "-f", Conf, "-L", Path.Combine(_dir, "slurmd.log")];

    /// <summary>
    /// What a reboot looks like to slurmctld: slurmd stops, then registers again from a boot later than the reboot
    /// request. The new slurmd runs in a time namespace whose boot clock starts about now (<c>unshare --boottime</c>,
    /// Linux 5.6+), since slurmctld takes the boot time from the uptime slurmd reports and would otherwise keep waiting
    /// for the boot.
    /// </summary>
    public async Task BootRunningAgainAsync()
    {
        _slurmd!.Kill();
        await _slurmd.WaitForExitAsync();
        _slurmd.Dispose();
        // The new boot clock starts a second or two before slurmd reports it: keep that after the reboot was issued.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var uptime = (long)double.Parse((await File.ReadAllTextAsync("/proc/uptime")).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        _slurmd = Start("unshare", ["--time", $"--boottime=-{uptime - 1}", .. Slurmd]);
    }

    private Process Start(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["SLURM_CONF"] = Conf } };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed: run deploy/local/slurm.sh (apt-get install slurmctld slurmd slurm-client)", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilRegisteredAsync()
    {
        for (var i = 0; i < 60; i++)
        {
            if (_slurmd!.HasExited) break;
            if ((await SinfoAsync(Running)).State == "idle") return;
            await Task.Delay(500);
        }
        throw new InvalidOperationException($"slurmd for {Running} did not register: {await SinfoAsync(Running)}");
    }

    /// <summary>Starts a job that holds <see cref="Running"/> until cancelled, and waits until it runs.</summary>
    public async Task<string> RunJobAsync()
    {
        var id = (await RunAsync("sbatch", "--parsable", "-w", Running, "-o", "/dev/null", "--wrap", "sleep 600")).Trim();
        for (var i = 0; i < 60; i++)
        {
            if ((await RunAsync("squeue", "-h", "-j", id, "-o", "%T")).Trim() == "RUNNING") return id;
            await Task.Delay(500);
        }
        throw new InvalidOperationException($"job {id} did not start on {Running}: {await RunAsync("squeue", "-j", id)}");
    }

    /// <summary>Cancels the jobs on <see cref="Running"/> and waits until none is left.</summary>
    public async Task EndJobsAsync()
    {
        await RunAsync("scancel", "-w", Running);
        for (var i = 0; i < 60; i++)
        {
            if ((await RunAsync("squeue", "-h", "-w", Running)).Trim().Length == 0) return;
            await Task.Delay(500);
        }
        throw new InvalidOperationException($"jobs did not leave {Running}");
    }

    /// <summary><see cref="Running"/> idle again, whatever a test left it in (drained, rebooting).</summary>
    public async Task ResetRunningAsync()
    {
        await EndJobsAsync();
        await RunAsync("scontrol", "update", $"NodeName={Running}", "State=RESUME");
        for (var i = 0; i < 60; i++)
        {
            // "idle*" for a moment after a RESUME, until slurmctld's next ping reaches the slurmd.
            if ((await SinfoAsync(Running)).State.StartsWith("idle", StringComparison.Ordinal)) return;
            await Task.Delay(500);
        }
        throw new InvalidOperationException($"{Running} did not come back idle: {await SinfoAsync(Running)}");
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

    /// <summary>A TCP port on loopback that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (_slurmd is { HasExited: false }) await EndJobsAsync();
        foreach (var process in new[] { _slurmd, _ctld })
        {
            if (process is { HasExited: false })
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
            process?.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }
}
