using Remediation.Agent.Running;

namespace Remediation.Agent.Executing.Actions;

/// <summary>The nvidia-smi invocations the actions use; <paramref name="bus"/> is always a sysfs directory name.</summary>
internal static class GpuCommands
{
    public static Argv ComputeApps(string? bus) => bus is null
        ? Argv.Of("nvidia-smi", "--query-compute-apps=pid", "--format=csv,noheader")
        : Argv.Of("nvidia-smi", "--query-compute-apps=pid", "--format=csv,noheader", "-i", bus);

    public static Argv Reset(string bus) => Argv.Of("nvidia-smi", "--gpu-reset", "-i", bus);

    public static Argv Query(string? bus) => bus is null ? Argv.Of("nvidia-smi", "-q", "-x") : Argv.Of("nvidia-smi", "-q", "-x", "-i", bus);

    public static Argv List() => Argv.Of("nvidia-smi", "-L");

    public static IReadOnlyList<string> Pids(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.All(char.IsAsciiDigit)).ToList();
}
