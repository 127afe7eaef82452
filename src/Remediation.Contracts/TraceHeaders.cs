namespace Remediation.Contracts;

/// <summary>
/// W3C trace context (https://www.w3.org/TR/trace-context/) as plain AMQP headers beside the JSON body, so an agent in
/// any language can join a trace: optional on every message, and a message without them simply starts a new trace.
/// </summary>
public static class TraceHeaders
{
    /// <summary><c>00-{32 hex trace id}-{16 hex span id}-{2 hex flags}</c>.</summary>
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
}
