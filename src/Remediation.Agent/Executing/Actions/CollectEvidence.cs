using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Remediation.Agent.Detecting.Gpu;
using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// <c>collect_evidence</c>, run before a destructive step: who the GPUs are (serial, UUID, PCI address from
/// <c>nvidia-smi -q -x</c>, and from the node's inventory for those nvidia-smi no longer names) and an <c>nvidia-bug-report.sh</c>, which a reset, reload or reboot would lose. The report
/// runs in safe mode (NVIDIA's advice where the full run hangs on a faulted GPU), is stopped after
/// <see cref="ReportLimit"/> (what it wrote by then is kept), is deleted when larger than <see cref="MaxReportBytes"/>,
/// and only the newest <see cref="KeepReports"/> are kept. Nothing here fails the step: what could not be collected
/// is said, and the repair goes on. Output lines the service reads: <c>gpu PCI serial=S uuid=U</c> and
/// <c>bug-report PATH BYTES bytes</c>.
/// </summary>
public sealed class CollectEvidence : IStepAction
{
    public static readonly TimeSpan ReportLimit = TimeSpan.FromMinutes(5);
    public const long MaxReportBytes = 256L * 1024 * 1024;
    public const int KeepReports = 10;
    private static readonly TimeSpan QueryLimit = TimeSpan.FromSeconds(30);

    public string Name => StepActions.CollectEvidence;
    public IReadOnlySet<string> Args { get; } = new HashSet<string>();

    public static Argv BugReport(string outputFile) => Argv.Of("nvidia-bug-report.sh", "--safe-mode", "--output-file", outputFile);

    public async Task<ActionResult> RunAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        await IdentifyGpusAsync(context, ct);
        await BugReportAsync(step, context, ct);
        return context.Succeeded();
    }

    private static async Task IdentifyGpusAsync(ActionContext context, CancellationToken ct)
    {
        var query = await context.RunAsync(GpuCommands.Query(null), ct, echoOutput: false, limit: QueryLimit);
        if (context.DryRun) return;
        var named = new HashSet<string>();
        if (query.Succeeded)
        {
            try
            {
                foreach (var gpu in NvidiaSmiXml.Parse(query.Output))
                {
                    context.Note($"gpu {gpu.Address} serial={Field(gpu.Serial)} uuid={Field(gpu.Uuid)}");
                    named.Add(gpu.Address);
                }
            }
            catch (System.Xml.XmlException e)
            {
                context.Note($"nvidia-smi printed no XML ({e.Message})");
            }
        }
        else context.Note("nvidia-smi did not answer");
        // A GPU off the bus, or a hung driver, is not in nvidia-smi's answer: the inventory still knows its serial.
        if (InventoryGpus(context).Where(g => !named.Contains(g.Pci)).ToList() is { Count: > 0 } known)
        {
            context.Note("from the node's inventory, for the GPUs nvidia-smi did not name:");
            foreach (var gpu in known) context.Note($"gpu {gpu.Pci} serial={Field(gpu.Serial)} uuid={Field(gpu.Uuid)}");
        }
        else if (named.Count == 0) context.Note("the GPUs could not be identified");
    }

    private static IReadOnlyList<NodeInventory.Gpu> InventoryGpus(ActionContext context)
    {
        try
        {
            return context.InventoryPath is { } path && NodeInventory.Load(path) is { } inventory ? inventory.Gpus : [];
        }
        catch (InvalidDataException e)
        {
            context.Note(e.Message);
            return [];
        }
    }

    private static async Task BugReportAsync(StepRequested step, ActionContext context, CancellationToken ct)
    {
        Directory.CreateDirectory(context.EvidenceDir);
        var name = $"nvidia-bug-report-{FileSafe(step.IncidentId ?? step.CommandId)}.log";
        var output = Path.Combine(context.EvidenceDir, name);
        var run = await context.RunAsync(BugReport(output), ct, echoOutput: false, limit: ReportLimit);
        // The script gzips what it wrote into OUTPUT.gz.
        var file = new FileInfo(output + ".gz") is { Exists: true } gz ? gz : new FileInfo(output);
        if (run.ExitCode == 127 && !file.Exists)
        {
            context.Note("no bug report: nvidia-bug-report.sh is not installed");
            return;
        }
        if (!file.Exists)
        {
            context.Note(context.DryRun ? "dry-run: no bug report written" : $"no bug report: nvidia-bug-report.sh wrote nothing (exit {run.ExitCode})");
            return;
        }
        var bytes = file.Length;
        if (bytes > MaxReportBytes)
        {
            file.Delete();
            context.Note($"bug report deleted: {bytes} bytes is over the {MaxReportBytes}-byte cap");
            return;
        }
        var how = run.TimedOut ? $" (incomplete: stopped after {ReportLimit.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min)"
            : run.ExitCode != 0 ? $" (nvidia-bug-report.sh exit {run.ExitCode})" : "";
        context.Note($"bug-report {file.FullName} {bytes} bytes{how}");
        Prune(context.EvidenceDir, keep: file.FullName);
    }

    private static void Prune(string dir, string keep)
    {
        var old = new DirectoryInfo(dir).GetFiles("nvidia-bug-report-*")
            .Where(f => f.FullName != keep).OrderByDescending(f => f.LastWriteTimeUtc).Skip(KeepReports - 1);
        foreach (var file in old) file.Delete();
    }

    private static string Field(string? value) => string.IsNullOrWhiteSpace(value) ? "unknown" : value.Replace(' ', '_');

    // Incident ids come from the wire: one that is not a plain file name is replaced by a short hash of it.
    private static string FileSafe(string id) =>
        id.Length <= 100 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !id.StartsWith('.')
            ? id
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..16];
}
