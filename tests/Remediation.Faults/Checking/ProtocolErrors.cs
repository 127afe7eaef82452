using System.Text.RegularExpressions;
using Remediation.Faults.Reporting;

namespace Remediation.Faults.Checking;

/// <summary>
/// Channels the broker closed for a protocol error of the service's own, such as an acknowledgement of a delivery tag it
/// does not know. Every message on such a channel comes again and its eventId makes that harmless, so nothing is lost
/// and the row would pass while the service's acknowledgements are wrong: five of sixteen runs once did, silently.
/// </summary>
public static partial class ProtocolErrors
{
    public static ScenarioResult Check(ScenarioResult result, IEnumerable<string> serviceLogs)
    {
        var errors = serviceLogs.SelectMany(Lines).SelectMany(l => Refused().Matches(l)).Select(m => m.Groups[1].Value).Distinct().ToList();
        if (errors.Count == 0) return result;
        return result with
        {
            Passed = false,
            Notes = [.. result.Notes, $"FAIL: the broker closed {errors.Count} channels for the service's protocol errors: {string.Join("; ", errors.Take(3))}"],
        };
    }

    /// <summary>The service may still be writing its log: read it without keeping it from doing so.</summary>
    private static IEnumerable<string> Lines(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line) yield return line;
    }

    [GeneratedRegex(@"code=406, text='(PRECONDITION_FAILED[^']*)'")]
    private static partial Regex Refused();
}
