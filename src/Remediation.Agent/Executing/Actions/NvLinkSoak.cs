using Remediation.Agent.Detecting.Gpu;
using Remediation.Agent.Running;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// The NVLink side of a soak: every active link of the GPU(s) runs at the speed of its fastest peer, none goes
/// inactive, and no error counter (<c>nvidia-smi nvlink -e</c>: Replay, Recovery, CRC) rises while they are watched.
/// Links inactive from the start are only reported: a PCIe card uses only its bridged links. GPUs without NVLink
/// answer with no links, and there is nothing to soak.
/// </summary>
internal static class NvLinkSoak
{
    public static Argv Status(string? bus) => bus is null ? Argv.Of("nvidia-smi", "nvlink", "-s") : Argv.Of("nvidia-smi", "nvlink", "-s", "-i", bus);

    public static Argv Errors(string? bus) => bus is null ? Argv.Of("nvidia-smi", "nvlink", "-e") : Argv.Of("nvidia-smi", "nvlink", "-e", "-i", bus);

    /// <summary>The failure, or null when the links held (or there are none).</summary>
    public static async Task<ActionResult?> FailureAsync(ActionContext context, string? bus, TimeSpan soak, CancellationToken ct)
    {
        var status = await context.RunAsync(Status(bus), ct, echoOutput: false);
        var links = NvLinkText.Status(status.Output);
        if (context.DryRun) return null;
        if (!status.Succeeded || links.Count == 0)
        {
            context.Note("no NVLink links reported: nothing to soak");
            return null;
        }
        if (Slow(links) is { Count: > 0 } slow) return context.Failed(string.Join("\n", slow));
        if (soak >= context.Remaining) return context.Failed($"a {soak.TotalSeconds:0}s NVLink soak does not fit in the time left before the step's deadline");

        var before = await context.RunAsync(Errors(bus), ct, echoOutput: false);
        if (context.Check(before, "nvidia-smi nvlink -e") is { } failed) return failed;
        var active = links.Count(l => l.Value is not null);
        context.Note($"soaking {active} active NVLink link(s) for {soak.TotalSeconds:0}s ({links.Count - active} inactive)");
        await Task.Delay(soak, context.Clock, ct);

        var after = await context.RunAsync(Errors(bus), ct, echoOutput: false);
        if (context.Check(after, "nvidia-smi nvlink -e") is { } failedAfter) return failedAfter;
        var now = NvLinkText.Status((await context.RunAsync(Status(bus), ct, echoOutput: false)).Output);
        var problems = links.Where(l => l.Value is not null && now.GetValueOrDefault(l.Key) is null)
            .Select(l => $"{l.Key.Gpu} NVLink {l.Key.Link} went inactive during the {soak.TotalSeconds:0}s soak").ToList();
        var (start, end) = (NvLinkText.Errors(before.Output), NvLinkText.Errors(after.Output));
        problems.AddRange(end.Where(c => start.TryGetValue(c.Key, out var was) && c.Value > was).Select(c =>
            $"{c.Key.Gpu} NVLink {c.Key.Link}: {c.Key.Counter} rose by {c.Value - start[c.Key]} ({start[c.Key]} -> {c.Value}) during the {soak.TotalSeconds:0}s soak"));
        if (problems.Count > 0) return context.Failed(string.Join("\n", problems));
        context.Note($"no NVLink error counter rose during the {soak.TotalSeconds:0}s soak");
        return null;
    }

    // A link that trained to a lower speed than the GPU's other links carries less than the fabric expects.
    private static List<string> Slow(IReadOnlyDictionary<(string Gpu, int Link), double?> links) =>
        links.Where(l => l.Value is not null).GroupBy(l => l.Key.Gpu).SelectMany(gpu =>
        {
            var fastest = gpu.Max(l => l.Value!.Value);
            return gpu.Where(l => l.Value < fastest).Select(l =>
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{gpu.Key} NVLink {l.Key.Link} runs at {l.Value:0.###} GB/s, its other links at {fastest:0.###} GB/s"));
        }).ToList();
}
