using System.Text;
using Remediation.Agent.Devices;
using Remediation.Agent.Executing.Actions;
using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Executing;

/// <summary>
/// One step's run: where devices are looked up, how commands run, and the transcript sent back as output. The
/// transcript is locked because an abandoned run may still write to it while its timed-out result is reported.
/// </summary>
public sealed class ActionContext(
    HostRoot root, ICommandRunner runner, bool dryRun, TimeProvider clock, DateTimeOffset deadline, DetectorPause? pause = null,
    string? evidenceDir = null, string? inventoryPath = null, RebootVia rebootVia = RebootVia.Systemctl)
{
    private readonly StringBuilder _transcript = new();

    public HostRoot Root => root;
    public DeviceResolver Devices { get; } = new(root);
    public bool DryRun => dryRun;
    public TimeProvider Clock => clock;
    public DateTimeOffset Deadline => deadline;
    public string EvidenceDir => evidenceDir ?? Path.Combine(Path.GetTempPath(), "remediation-agent-evidence");

    /// <summary>Where the node's expected inventory is kept; null: no inventory is read or taken.</summary>
    public string? InventoryPath => inventoryPath;
    /// <summary>How a reboot reaches the host's systemd: from the host itself, or from a container through PID 1.</summary>
    public RebootVia RebootVia => rebootVia;

    public DetectorPause Detectors { get; } = pause ?? new DetectorPause();

    /// <summary>Holds the agent's detectors off the GPUs for the rest of a step; null (noted) when they did not stop in time.</summary>
    public async Task<IDisposable?> QuietGpusAsync(CancellationToken ct)
    {
        var held = await Detectors.HoldAsync(Remaining, ct);
        Note(held is null ? "the agent's own GPU polling did not stop before the deadline" : "paused the agent's nvidia-smi and dcgmi polling");
        return held;
    }
    public string Transcript
    {
        get { lock (_transcript) return _transcript.ToString(); }
    }

    public TimeSpan Remaining => deadline - clock.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    public void Note(string line)
    {
        lock (_transcript) _transcript.AppendLine(line);
    }

    /// <summary>Runs a command within the step's deadline, or within <paramref name="limit"/> when that is sooner.</summary>
    public async Task<CommandResult> RunAsync(Argv command, CancellationToken ct, bool echoOutput = true, TimeSpan? limit = null)
    {
        Note((dryRun ? "dry-run: " : "$ ") + command);
        var result = await runner.RunAsync(command, limit is { } l && l < Remaining ? l : Remaining, ct);
        if (echoOutput && result.Output.Length > 0) Note(result.Output.TrimEnd('\n'));
        if (result.TimedOut) Note("(timed out; killed)");
        else if (result.ExitCode != 0) Note($"(exit {result.ExitCode})");
        return result;
    }

    public ActionResult Succeeded() => ActionResult.Succeeded(Transcript);

    public ActionResult Failed(string reason, int? exitCode = null)
    {
        Note(reason);
        return ActionResult.Failed(Transcript, exitCode);
    }

    /// <summary>
    /// The device is busy and nothing was done: the service waits and tries again, it does not escalate. Running work
    /// is the scheduler's to move, never the agent's to break.
    /// </summary>
    public ActionResult InUse(string reason) =>
        Failed($"{reason}; nothing was done: waiting for the work to leave", StepExitCodes.InUse);

    /// <summary>The failure a command's result means, or null when it worked.</summary>
    public ActionResult? Check(CommandResult result, string what) =>
        result.TimedOut ? ActionResult.TimedOut(Transcript + $"{what} timed out\n")
        : result.ExitCode != 0 ? Failed($"{what} failed (exit {result.ExitCode})", result.ExitCode)
        : null;
}
