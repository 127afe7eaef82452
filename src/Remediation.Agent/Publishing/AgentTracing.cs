using System.Diagnostics;
using System.Text;
using Remediation.Contracts;

namespace Remediation.Agent.Publishing;

/// <summary>
/// The agent's end of a trace: a fault publish starts one, a command's <c>traceparent</c> is continued by its result.
/// The agent exports nothing itself; its spans exist to carry their context to the service, so they are made (and
/// sampled) even when nothing in the process listens.
/// </summary>
public static class AgentTracing
{
    public const string SourceName = "Remediation.Agent";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span under <paramref name="parent"/>, else under the current span, else the head of a new, sampled trace.</summary>
    public static Activity Start(string name, ActivityKind kind, ActivityContext parent = default)
    {
        if (Source.StartActivity(name, kind, parent) is { } listened) return listened;
        var span = new Activity(name);
        span.SetIdFormat(ActivityIdFormat.W3C);
        if (parent != default) span.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        else if (Activity.Current is null) span.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        return span.Start();
    }

    /// <summary>The trace a received message was sent in, from its <c>traceparent</c> header; default when it has none.</summary>
    public static ActivityContext ParentOf(IDictionary<string, object?>? headers)
    {
        if (Text(headers, TraceHeaders.TraceParent) is not { } parent) return default;
        return ActivityContext.TryParse(parent, Text(headers, TraceHeaders.TraceState), isRemote: true, out var context) ? context : default;
    }

    /// <summary>The span's context as the W3C headers of an outgoing message.</summary>
    public static Dictionary<string, object?> Headers(Activity span)
    {
        var headers = new Dictionary<string, object?> { [TraceHeaders.TraceParent] = span.Id };
        if (span.TraceStateString is { Length: > 0 } state) headers[TraceHeaders.TraceState] = state;
        return headers;
    }

    private static string? Text(IDictionary<string, object?>? headers, string key) =>
        headers is not null && headers.TryGetValue(key, out var value) ? value switch
        {
            byte[] b => Encoding.UTF8.GetString(b),
            string s => s,
            _ => null,
        } : null;
}
