using JasperFx;
using JasperFx.Events;
using Marten;
using Remediation.Core.Automation;
using Remediation.Core.Nodes;
using Remediation.Core.Storms;
using Weasel.Core;

namespace Remediation.Store;

public static class MartenConfiguration
{
    /// <summary>
    /// One stream per node keyed by node id; the node-status document is written in the same commit, its status also in
    /// an indexed column of its own, so the fleet's counts by state and a status filter never open the JSON.
    /// </summary>
    public static void ConfigureNodes(this StoreOptions options, string connectionString, string schema)
    {
        options.Connection(connectionString);
        options.DatabaseSchemaName = schema;
        // Marten's schema-change lock is one advisory lock for the whole database by default, so every store starting
        // in any schema queued behind every other: a service failed to start under load ("Unable to attain the global
        // lock in time") while tests migrated schemas of their own. Instances of one deployment share a schema, and so
        // still share the lock; a slow peer migration is waited out for a minute, not ten seconds.
        options.ApplyChangesLockId = LockIdOf(schema);
        options.ApplyChangesLockTimeout = TimeSpan.FromMinutes(1);
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.AppendMode = EventAppendMode.Quick;
        // No correlation or causation ids: nothing sets them, and BatchWriter, which writes most events, would not
        // write them either. A node's events name their cause themselves (CausedBy).
        options.Events.AddEventTypes(NodeEventTypes.All);
        options.Events.AddEventTypes([typeof(AutomationPaused), typeof(AutomationResumed), typeof(StormDetected), typeof(StormTallied)]);
        options.Schema.For<NodeState>().Identity(x => x.Id).Duplicate(x => x.Status);
        options.Schema.For<AutomationControl>().Identity(x => x.Id);
    }

    /// <summary>A lock id of the schema's own, the same in every process (FNV-1a of its name; string hashes differ per process).</summary>
    public static int LockIdOf(string schema)
    {
        var hash = 2166136261;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(schema)) hash = (hash ^ b) * 16777619;
        return unchecked((int)hash);
    }
}
