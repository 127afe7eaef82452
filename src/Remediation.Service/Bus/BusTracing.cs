using System.Diagnostics;
using System.Text;
using MassTransit;
using MassTransit.Logging;
using Remediation.Contracts;
using Remediation.Service.Hosting;

namespace Remediation.Service.Bus;

/// <summary>
/// Trace context on the wire. MassTransit 8 continues a trace only from its own <c>MT-Activity-Id</c> header, so the
/// W3C <c>traceparent</c> an agent in any language sets on a plain-JSON message is read here, and written on what the
/// service sends next to its own span's context.
/// </summary>
public static class BusTracing
{
    public const string SourceName = DiagnosticHeaders.DefaultListenerName;

    /// <summary>The context the message's sender traced it in: its <c>traceparent</c>, else MassTransit's header; none: default.</summary>
    public static ActivityContext ParentOf(ReceiveContext context)
    {
        var headers = context.TransportHeaders;
        var parent = Text(headers, TraceHeaders.TraceParent) ?? Text(headers, DiagnosticHeaders.ActivityId);
        return parent is not null && ActivityContext.TryParse(parent, Text(headers, TraceHeaders.TraceState), isRemote: true, out var parsed)
            ? parsed
            : default;
    }

    /// <summary>
    /// The span an ingested message is taken in, continuing its sender's trace: the commit it leads to links it, and the
    /// copy sent on to a partition, or the step command decided from it, carries it on.
    /// </summary>
    internal static Activity? StartIngest(ReceiveContext received) =>
        // Linked to the span MassTransit consumed it in, whose trace is its own: MassTransit does not read traceparent.
        Tracing.Source.StartActivity("ingest", ActivityKind.Consumer, ParentOf(received),
            links: Activity.Current is { } consumed ? [new ActivityLink(consumed.Context)] : null);

    /// <summary>The current span's context as W3C headers on an outgoing message.</summary>
    internal static void Inject(SendContext context)
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C, Id: { } id } current) return;
        context.Headers.Set(TraceHeaders.TraceParent, id);
        if (current.TraceStateString is { Length: > 0 } state) context.Headers.Set(TraceHeaders.TraceState, state);
    }

    private static string? Text(Headers headers, string key) =>
        headers.TryGetHeader(key, out var value) ? value switch
        {
            string s => s,
            byte[] b => Encoding.UTF8.GetString(b),
            _ => null,
        } : null;
}
