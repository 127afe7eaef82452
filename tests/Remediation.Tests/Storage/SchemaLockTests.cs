using Remediation.Store;

namespace Remediation.Tests.Storage;

/// <summary>
/// Marten's schema-change lock is the schema's own: stores starting in other schemas of the same database never wait on
/// each other, and every instance of one deployment (every process) agrees on the id.
/// </summary>
public sealed class SchemaLockTests
{
    [Fact]
    public void The_lock_id_is_the_same_in_every_process()
    {
        // A fixed value: a per-process string hash would give each instance of a deployment a lock of its own.
        Assert.Equal(1278994886, MartenConfiguration.LockIdOf("remediation"));
    }

    [Fact]
    public void Schemas_have_locks_of_their_own()
    {
        var ids = new[] { "remediation", "demo_20261201_120000", "faults_rabbitmq_restart_1201", "t_0123456789abcdef" }
            .Select(MartenConfiguration.LockIdOf).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
