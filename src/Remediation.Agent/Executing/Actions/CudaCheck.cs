using System.Globalization;
using System.Text.RegularExpressions;
using Remediation.Agent.Detecting.Dcgm;
using Remediation.Agent.Devices;
using Remediation.Agent.Running;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// Proves that CUDA work runs, which nvidia-smi cannot: <c>dcgmi diag -r LEVEL -j</c> where DCGM answers (its failures in
/// DCGM's words), else <c>deviceQuery</c> from NVIDIA's cuda-samples where it is on PATH (every GPU must be a CUDA
/// device and the result PASS). With neither, the check says CUDA was not probed rather than failing a node for a
/// missing tool. On an NVSwitch system, Fabric Manager must be active: without it no CUDA work crosses the fabric.
/// </summary>
internal static partial class CudaCheck
{
    public static readonly TimeSpan DeviceQueryLimit = TimeSpan.FromSeconds(60);

    // -j: the JSON names each failing GPU and carries DCGM's own message, which the text table wraps over rows.
    public static Argv Diag(string level) => Argv.Of("dcgmi", "diag", "-r", level, "-j");

    public static readonly Argv DeviceQuery = Argv.Of("deviceQuery");

    // Level 1 takes seconds to a minute; level 2 a few minutes; 3 and 4 much longer: the step's timeout bounds them.
    private static TimeSpan DiagLimit(string level) => level == "1" ? TimeSpan.FromMinutes(3) : TimeSpan.MaxValue;

    [GeneratedRegex(@"^Detected (\d+) CUDA Capable device\(s\)", RegexOptions.Multiline)]
    private static partial Regex Detected();

    /// <summary>The failure, or null when CUDA answered (or could not be probed, which is noted).</summary>
    public static async Task<ActionResult?> FailureAsync(ActionContext context, string level, int gpus, CancellationToken ct)
    {
        if (NvSwitch.Present(context.Root))
        {
            var fabric = await context.RunAsync(DriverUsers.IsActive(DriverUsers.FabricManager), ct);
            if (!fabric.Succeeded && !context.DryRun)
                return context.Failed("NVSwitch system and nvidia-fabricmanager is not active: no CUDA work can cross the fabric");
        }
        var diag = await context.RunAsync(Diag(level), ct, echoOutput: false, limit: DiagLimit(level));
        if (context.DryRun) return null;
        var result = DcgmDiag.Parse(diag.Output);
        if (result.Ran)
        {
            if (result.Passed)
            {
                context.Note($"dcgmi diag -r {level}: no test failed");
                return null;
            }
            return context.Failed($"dcgmi diag -r {level} failed:\n{string.Join("\n", result.Failures)}");
        }
        context.Note(diag.ExitCode == 127 ? "dcgmi is not installed" : $"dcgmi diag did not run: {result.NotRun ?? LastLine(diag.Output)}");

        var query = await context.RunAsync(DeviceQuery, ct, echoOutput: false, limit: DeviceQueryLimit);
        if (query.ExitCode == 127)
        {
            context.Note("CUDA not probed: neither dcgmi diag nor deviceQuery (NVIDIA cuda-samples) is available on this node");
            return null;
        }
        var detected = Detected().Match(query.Output) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (!query.Output.Contains("Result = PASS", StringComparison.Ordinal) || query.ExitCode != 0)
            return context.Failed($"deviceQuery failed: {string.Join(" ", query.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3))}");
        if (detected < gpus) return context.Failed($"CUDA sees {detected} of the {gpus} GPU(s) nvidia-smi sees");
        context.Note($"deviceQuery: {detected} CUDA device(s), Result = PASS");
        return null;
    }

    private static string LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
}
