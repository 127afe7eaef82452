using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Remediation.Contracts;

namespace Remediation.Agent.Executing;

/// <summary>
/// The first result of every command, one file per commandId under the state directory, written by rename so a
/// crash leaves either the whole result or none. A "started" marker written before running tells a restarted agent
/// that a step was under way when it stopped.
/// </summary>
public sealed class ResultStore
{
    private readonly string _dir;

    public ResultStore(string stateDir)
    {
        _dir = Path.Combine(stateDir, "results");
        Directory.CreateDirectory(_dir);
        EvidenceDir = Path.Combine(stateDir, "evidence");
        InventoryPath = Path.Combine(stateDir, NodeInventory.FileName);
    }

    /// <summary>The node's expected inventory (<see cref="NodeInventory"/>).</summary>
    public string InventoryPath { get; }

    /// <summary>Where bug reports collected before destructive steps are kept.</summary>
    public string EvidenceDir { get; }

    public sealed record Started(string CommandId, string Action, string BootId, DateTimeOffset StartedAt);

    public StepCompleted? Result(string commandId) => Read<StepCompleted>(PathOf(commandId, "result"));

    public Started? Marker(string commandId) => Read<Started>(PathOf(commandId, "started"));

    public void MarkStarted(Started started) => Write(PathOf(started.CommandId, "started"), started);

    public void Save(StepCompleted result) => Write(PathOf(result.CommandId, "result"), result);

    public sealed record Reboot(string IncidentId, string BootId, DateTimeOffset At);

    /// <summary>The boot an incident's reboot was started on, so its verification can tell whether the reboot happened.</summary>
    public void MarkReboot(Reboot reboot) => Write(PathOf(reboot.IncidentId, "reboot"), reboot);

    public Reboot? RebootOf(string incidentId) => Read<Reboot>(PathOf(incidentId, "reboot"));

    // commandIds come from the wire: hashing them keeps every file name short and free of path separators.
    private string PathOf(string commandId, string suffix)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(commandId)));
        return Path.Combine(_dir, $"{hash}.{suffix}.json");
    }

    private static T? Read<T>(string path) where T : class =>
        File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), WireJson.Options) : null;

    private static void Write<T>(string path, T value)
    {
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            file.Write(WireJson.Serialize(value));
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
