using System.Security.Cryptography;
using System.Text;

namespace Remediation.Core.Nodes.Deciding;

/// <summary>
/// A step's commandId: readable (incident, runbook, step, attempt) and then a keyed hash of it, so a node that can
/// guess the readable part still cannot answer for a command it never received. The key never leaves the service;
/// the id is stored in the node's stream when dispatched, so nothing needs to derive it again.
/// </summary>
public static class CommandIds
{
    /// <param name="suffix">Marks a retry of the same attempt that needs an id of its own (a try again after "in use").</param>
    public static string For(string key, string nodeId, string incidentId, string runbook, string step, int attempt, string suffix = "")
    {
        var readable = $"{incidentId}/{runbook}/{step}/{attempt}{suffix}";
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{nodeId}\n{readable}"));
        return $"{readable}/{Convert.ToHexStringLower(mac.AsSpan(0, 12))}";
    }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
