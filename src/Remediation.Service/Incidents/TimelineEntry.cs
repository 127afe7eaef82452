using Remediation.Store;

namespace Remediation.Service.Incidents;

/// <summary>One event of a node's timeline as the API serves it (oldest first) and reports and tickets quote it.</summary>
public sealed record TimelineEntry(long Sequence, DateTimeOffset Timestamp, string Type, object Data)
{
    public static TimelineEntry Of(LoggedEvent e) =>
        new(e.Version, e.Timestamp, e.Data is UnknownEvent unknown ? unknown.Type : e.Data.GetType().Name, e.Data);
}
