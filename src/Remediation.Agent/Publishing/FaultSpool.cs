using System.Text;
using System.Text.Json;
using Remediation.Contracts;

namespace Remediation.Agent.Publishing;

/// <summary>
/// Every fault is appended (and flushed to disk) here before anything tries to publish it, and its eventId is
/// appended to the confirmed list once the broker has confirmed it. What is spooled and not confirmed is replayed
/// after a broker outage or an agent restart. The files are emptied once everything in them is confirmed.
/// </summary>
public sealed class FaultSpool
{
    private readonly string _spool;
    private readonly string _confirmed;
    private readonly object _gate = new();

    public FaultSpool(string stateDir)
    {
        Directory.CreateDirectory(stateDir);
        _spool = Path.Combine(stateDir, "faults.jsonl");
        _confirmed = Path.Combine(stateDir, "faults.confirmed");
    }

    public void Append(FaultDetected fault)
    {
        lock (_gate) AppendLine(_spool, JsonSerializer.Serialize(fault, WireJson.Options));
    }

    public void Confirm(string eventId)
    {
        lock (_gate) AppendLine(_confirmed, eventId);
    }

    public IReadOnlyList<FaultDetected> Pending()
    {
        lock (_gate)
        {
            var confirmed = Lines(_confirmed).ToHashSet(StringComparer.Ordinal);
            var pending = new List<FaultDetected>();
            foreach (var line in Lines(_spool))
            {
                // A crash mid-append leaves a torn last line: it was never confirmed, and the detector reports it again.
                if (!WireParser.TryParse<FaultDetected>(Encoding.UTF8.GetBytes(line), out var fault, out _)) continue;
                if (!confirmed.Contains(fault!.EventId)) pending.Add(fault);
            }
            if (pending.Count == 0 && confirmed.Count > 0)
            {
                File.WriteAllText(_spool, "");
                File.WriteAllText(_confirmed, "");
            }
            return pending;
        }
    }

    private static IEnumerable<string> Lines(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0) : [];

    private static void AppendLine(string path, string line)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        file.Write(Encoding.UTF8.GetBytes(line + "\n"));
        file.Flush(flushToDisk: true);
    }
}
