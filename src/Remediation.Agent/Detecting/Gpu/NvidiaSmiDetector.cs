using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Detecting.Gpu;

/// <summary>Polls <c>nvidia-smi -q -x</c>. A query that fails while GPUs are present is itself a failed health check.</summary>
public sealed class NvidiaSmiDetector(DetectorContext context) : IDetector
{
    public static readonly Argv Query = Argv.Of("nvidia-smi", "-q", "-x");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const int NotInstalled = 127;

    private readonly EdgeTracker _tracker = context.Tracker("nvidia-smi");

    public string Name => "nvidia-smi";

    public async Task<IReadOnlyList<FaultDetected>> PollAsync(CancellationToken ct)
    {
        var result = await context.Probes.RunAsync(Query, Timeout, ct);
        return _tracker.Observe(Conditions(result));
    }

    private static IEnumerable<Condition> Conditions(CommandResult result)
    {
        if (result.ExitCode == NotInstalled) return [];
        if (!result.Succeeded)
            return [new Condition("nvidia-smi", FaultKinds.HealthCheckFailed, null,
                $"nvidia-smi -q -x {(result.TimedOut ? "timed out" : $"exited {result.ExitCode}")}: {FirstLine(result.Output)}")];
        try
        {
            return NvidiaSmiXml.Parse(result.Output).SelectMany(GpuConditions.Of).ToList();
        }
        catch (System.Xml.XmlException e)
        {
            return [new Condition("nvidia-smi", FaultKinds.HealthCheckFailed, null, $"nvidia-smi -q -x printed unreadable XML: {e.Message}")];
        }
    }

    private static string FirstLine(string output) => output.Split('\n', 2)[0].Trim();
}
