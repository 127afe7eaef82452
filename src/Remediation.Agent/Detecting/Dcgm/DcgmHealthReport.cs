namespace Remediation.Agent.Detecting.Dcgm;

/// <summary>One system of one entity that DCGM found unhealthy, with DCGM's messages for it.</summary>
public sealed record DcgmIncident(string EntityGroup, string EntityId, string System, string Health, string Message)
{
    public bool Failed => Health == DcgmHealthReport.Failure;
}

/// <summary>
/// Reads the text <c>dcgmi health -c</c> prints (DCGM <c>Health::GenerateOutputFromResponse</c>): an
/// <c>Overall Health</c> row, then per entity group (<c>GPU</c>, <c>Switch</c>, …) each entity id, its <c>Errors</c>,
/// and under them each system's health with its message wrapped over the rows that follow.
/// </summary>
public static class DcgmHealthReport
{
    public const string Failure = "Failure";
    private const string Overall = "Overall Health";
    private const string Healthy = "Healthy";
    private const int SystemDepth = 3;

    /// <summary>The incidents of a report, none when it is healthy; null when the text is no health report.</summary>
    public static IReadOnlyList<DcgmIncident>? Parse(string text)
    {
        var rows = DcgmTable.Rows(text).ToList();
        if (!rows.Any(r => r is { Depth: 0, Label: Overall })) return null;

        var incidents = new List<(string Group, string Id, string System, string Health, List<string> Lines)>();
        string? group = null, entity = null;
        foreach (var row in rows)
        {
            if (row.Label.Length == 0)
            {
                if (incidents.Count > 0 && row.Value.Length > 0) incidents[^1].Lines.Add(row.Value);
                continue;
            }
            if (row.Depth == 0) (group, entity) = (row.Label, null);
            else if (row.Depth == 1) entity = row.Label;
            else if (row.Depth == SystemDepth && group is not null && entity is not null && row.Value != Healthy)
                incidents.Add((group, entity, row.Label, row.Value, []));
        }
        return incidents.Select(i => new DcgmIncident(i.Group, i.Id, i.System, i.Health, string.Join(' ', i.Lines))).ToList();
    }
}
