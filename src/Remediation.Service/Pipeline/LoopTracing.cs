using System.Diagnostics;
using System.Runtime.CompilerServices;
using Remediation.Service.Hosting;
using Remediation.Core.Nodes;

namespace Remediation.Service.Pipeline;

/// <summary>
/// The loop's spans. A commit covers many inputs, so it links to each input's trace instead of picking one parent
/// (it is the child of the only one when all its inputs share a trace); a step command continues the trace of the input
/// whose decision dispatched it.
/// </summary>
internal static class LoopTracing
{
    /// <summary>More links than this on one span are dropped by the exporter's default limits anyway.</summary>
    private const int MaxLinks = 128;

    // Keyed by the event instance, which lives as long as its step waits to be sent: nothing to clean up.
    private static readonly ConditionalWeakTable<StepDispatched, StrongBox<ActivityContext>> StepTraces = new();

    public static Activity? StartCommit(IReadOnlyCollection<Inbound> batch)
    {
        if (!Tracing.Source.HasListeners()) return null;
        var traces = batch.Select(i => i.Trace).Where(t => t != default).Distinct().ToList();
        var parent = traces.Select(t => t.TraceId).Distinct().Count() == 1 ? traces[0] : default;
        // Whatever the loop's task was started in is not the cause of this commit.
        Activity.Current = null;
        var span = Tracing.Source.StartActivity("commit", ActivityKind.Internal, parent,
            links: traces.Take(MaxLinks).Select(t => new ActivityLink(t)));
        span?.SetTag("remediation.batch.size", batch.Count);
        span?.SetTag("remediation.batch.traces", traces.Count);
        return span;
    }

    public static void Committed(Activity? span, IEnumerable<NodeWork> work)
    {
        if (span is null) return;
        var changed = work.Where(n => n.Events.Count > 0).ToList();
        span.SetTag("remediation.batch.nodes", changed.Count);
        span.SetTag("remediation.batch.events", changed.Sum(n => n.Events.Count));
        span.SetStatus(ActivityStatusCode.Ok);
    }

    /// <summary>Remembers the trace of the input that dispatched these steps, for their commands.</summary>
    public static void Caused(IEnumerable<object> events, ActivityContext trace)
    {
        if (trace == default) return;
        foreach (var step in events.OfType<StepDispatched>()) StepTraces.AddOrUpdate(step, new StrongBox<ActivityContext>(trace));
    }

    /// <summary>The trace a step command continues; default (a new trace) for steps re-dispatched after a restart or a tick.</summary>
    public static ActivityContext CauseOf(StepDispatched step) => StepTraces.TryGetValue(step, out var trace) ? trace.Value : default;
}
