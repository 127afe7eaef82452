using Remediation.Contracts;

namespace Remediation.Core.Runbooks;

/// <summary>
/// The loaded runbooks and the escalation ladder they form through <c>onFailure</c>. A runbook's height is how many
/// rungs lie above it; the lowest height is the most drastic remedy.
/// </summary>
public sealed class RunbookSet
{
    private readonly Dictionary<string, Runbook> _byName;
    private readonly Dictionary<string, int> _height;

    /// <summary>
    /// Every runbook's triggers in the order <see cref="Route"/> tries them, sorted once: the lowest height first, a
    /// trigger without a threshold before one with. Sorted on every call, routing ran 150k to 317k faults/s on one core
    /// here; sorted once, 218k to 420k (the storm path routes each fault twice).
    /// </summary>
    private readonly List<(Runbook Runbook, RunbookTrigger Trigger)> _triggers;

    private RunbookSet(Dictionary<string, Runbook> byName, Dictionary<string, int> height, XidCatalog catalog, NvLinkDecodeTable nvlink)
    {
        _byName = byName;
        _height = height;
        _triggers = (from runbook in byName.Values
                     from trigger in runbook.Triggers
                     orderby height[runbook.Name], trigger.Threshold is null ? 0 : 1
                     select (runbook, trigger)).ToList();
        Catalog = catalog;
        NvLink = nvlink;
    }

    public XidCatalog Catalog { get; }

    public NvLinkDecodeTable NvLink { get; }

    public IReadOnlyCollection<Runbook> All => _byName.Values;

    public Runbook this[string name] => _byName[name];

    public int Height(string runbook) => _height[runbook];

    public bool Contains(string runbook) => _byName.ContainsKey(runbook);

    internal static RunbookSet Create(IReadOnlyList<LoadedRunbook> loaded, XidCatalog catalog, NvLinkDecodeTable nvlink)
    {
        var byName = loaded.ToDictionary(l => l.Runbook.Name, l => l.Runbook);
        foreach (var l in loaded)
            if (l.Runbook.OnFailure is { } next && !byName.ContainsKey(next))
                throw new RunbookFileException(l.Runbook.File, l.OnFailureLine, $"onFailure names unknown runbook '{next}'");
        var height = new Dictionary<string, int>();
        foreach (var l in loaded)
            height[l.Runbook.Name] = HeightOf(l, byName, loaded);
        return new RunbookSet(byName, height, catalog, nvlink);
    }

    private static int HeightOf(LoadedRunbook start, Dictionary<string, Runbook> byName, IReadOnlyList<LoadedRunbook> loaded)
    {
        var seen = new List<string> { start.Runbook.Name };
        var current = start.Runbook;
        while (current.OnFailure is { } next)
        {
            if (seen.Contains(next)) throw LoopError(seen[seen.IndexOf(next)..], loaded);
            seen.Add(next);
            current = byName[next];
        }
        return seen.Count - 1;
    }

    /// <summary>
    /// Blames one runbook inside the loop, the same one whichever file the walk started from: the first by name,
    /// with the loop read from there.
    /// </summary>
    private static RunbookFileException LoopError(List<string> loop, IReadOnlyList<LoadedRunbook> loaded)
    {
        var first = loop.Min(StringComparer.Ordinal)!;
        var from = loop.IndexOf(first);
        var cycle = loop[from..].Concat(loop[..from]).Append(first);
        var blamed = loaded.First(l => l.Runbook.Name == first);
        return new RunbookFileException(blamed.Runbook.File, blamed.OnFailureLine, $"onFailure forms a loop: {string.Join(" -> ", cycle)}");
    }

    /// <summary>What to do about a fault on a node, before counting thresholds or repeats.</summary>
    public FaultRoute Route(FaultDetected fault, IReadOnlySet<string> failedActions)
    {
        var verdict = fault is { Kind: FaultKinds.Xid, Xid: { } xid } ? NvLink.Decode(xid, fault.Message) : null;
        foreach (var (runbook, trigger) in _triggers)
            if (Matches(trigger, fault, verdict) && (trigger.AfterFailed is null || failedActions.Contains(trigger.AfterFailed)))
                return trigger.Threshold is { } threshold
                    ? new Observe(runbook, threshold)
                    : new Run(runbook, Describe(fault, trigger, verdict));
        if (fault.Kind != FaultKinds.Xid)
            return new RecordOnly($"no runbook handles '{fault.Kind}'; recorded for the timeline");
        if (verdict is not null)
            return verdict.NeedsNothing
                ? new RecordOnly($"{verdict}; nothing to do on the node")
                : new HandOver($"{verdict}; no runbook automates it");
        return Catalog[fault.Xid!.Value] switch
        {
            null => new HandOver($"Xid {fault.Xid} is not in NVIDIA's catalog"),
            var entry when XidCatalog.IsInformational(entry) =>
                new RecordOnly($"Xid {entry.Xid} {entry.Mnemonic}: NVIDIA says {entry.ImmediateAction}; nothing to do on the node"),
            var entry => new HandOver($"Xid {entry.Xid} {entry.Mnemonic}: NVIDIA says {entry.ImmediateAction}; no runbook automates it"),
        };
    }

    // A decoded NVLink5 Xid also matches a trigger naming the bucket NVIDIA's decode gave its line (RESET_GPU for
    // the ones a reset clears), where its catalog bucket alone (WORKFLOW_NVLINK5_ERR) says only "decode me".
    private static bool Matches(RunbookTrigger trigger, FaultDetected fault, NvLinkVerdict? verdict) =>
        fault.Kind == FaultKinds.Xid
            ? trigger.Xids.Contains(fault.Xid ?? -1) || trigger.Kinds.Contains(FaultKinds.Xid)
              || verdict is not null && trigger.XidBuckets.Contains(verdict.Rule.ImmediateAction)
            : trigger.Kinds.Contains(fault.Kind) && SxidMatches(trigger, fault);

    // The driver leaves its verdict out only for errors of the switch itself (its SOE engine halting, a watchdog),
    // never for a link-local one, so an SXid without a verdict is taken as fatal.
    private static bool SxidMatches(RunbookTrigger trigger, FaultDetected fault) =>
        (trigger.Fatal is not { } fatal || fatal == (fault.Fatal ?? true))
        && (trigger.Sxids.Count == 0 || trigger.Sxids.Contains(fault.Sxid ?? -1));

    private string Describe(FaultDetected fault, RunbookTrigger trigger, NvLinkVerdict? verdict)
    {
        var what = fault switch
        {
            _ when verdict is not null => verdict.ToString(),
            { Kind: FaultKinds.Xid } when Catalog[fault.Xid ?? -1] is { } e => $"Xid {e.Xid} {e.Mnemonic} (NVIDIA: {e.ImmediateAction})",
            { Kind: FaultKinds.Sxid, Sxid: { } sxid } =>
                $"{(fault.Fatal == false ? "non-fatal" : "fatal")} SXid {sxid} on NVSwitch {fault.Device ?? "?"}",
            _ => fault.Kind,
        };
        return trigger.AfterFailed is { } action ? $"{what} after {action} failed" : what;
    }
}

public abstract record FaultRoute;

/// <summary>Start this runbook now.</summary>
public sealed record Run(Runbook Runbook, string Reason) : FaultRoute;

/// <summary>Count the fault in a dampening window; start the runbook when the threshold is reached.</summary>
public sealed record Observe(Runbook Runbook, Threshold Threshold) : FaultRoute;

/// <summary>Record the fault; the node needs nothing.</summary>
public sealed record RecordOnly(string Reason) : FaultRoute;

/// <summary>No automation applies: a human takes the node.</summary>
public sealed record HandOver(string Reason) : FaultRoute;
