using System.Diagnostics;

namespace Remediation.Service.Hosting;

/// <summary>
/// The service's own activities on the message path (ingest, commit, step command, step run); every part of it starts
/// its spans here. How they are exported, with MassTransit's, is <c>TracingExport</c>'s.
/// </summary>
public static class Tracing
{
    public const string SourceName = "Remediation";

    /// <summary>The service's own spans: ingest, the loop's commit and the step commands it sends.</summary>
    public static readonly ActivitySource Source = new(SourceName);
}
