using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Remediation.Service.Hosting;
using Remediation.Service.Partitions;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Partitions;

/// <summary>
/// The lease session lost while the loop cannot let go yet (it retries a commit against the same lost database): the
/// partitions stop counting as held at once, so health does not read their endpoints, stopped on purpose, as a wedged
/// transport and restart the service in the middle of a database outage.
/// </summary>
public sealed class LeaseLossTests(Servers servers) : IClassFixture<Servers>
{
    [Fact]
    public async Task Partitions_stop_counting_as_held_the_moment_the_lease_session_is_lost_not_when_the_loop_lets_go()
    {
        var schema = $"leases_{Guid.NewGuid():N}"[..20];
        var loop = new StuckLoop();
        var leases = new PartitionLeases(new RemediationOptions { Postgres = servers.Postgres, Schema = schema },
            new PartitionOptions { Count = 4, Rebalance = TimeSpan.FromMilliseconds(200) }, new IdleQueues(), loop, new RemediationMetrics(),
            NullLogger<PartitionLeases>.Instance);
        await leases.StartAsync(CancellationToken.None);
        try
        {
            await WaitAsync(() => leases.Held.Count == 4, "all four partitions taken");

            await using (var admin = new NpgsqlConnection(servers.Postgres))
            {
                await admin.OpenAsync();
                await using var kill = new NpgsqlCommand("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", admin);
                kill.Parameters.Add(new() { Value = $"remediation-leases:{schema}" });
                await kill.ExecuteNonQueryAsync();
            }

            await WaitAsync(() => loop.Releasing, "the loop asked to let go");
            Assert.Empty(leases.Held);
        }
        finally
        {
            loop.LetGo();
            await leases.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 150 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition(), $"timed out waiting for {what}");
    }

    /// <summary>A loop that takes partitions at once but cannot let go of them until told.</summary>
    private sealed class StuckLoop : IPartitionNodes
    {
        private readonly TaskCompletionSource _letGo = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool Releasing;

        public Task AcquireAsync(IReadOnlyList<int> partitions, CancellationToken ct) => Task.CompletedTask;

        public Task ReleaseAsync(IReadOnlyList<int> partitions, CancellationToken ct)
        {
            Releasing = true;
            return _letGo.Task.WaitAsync(ct);
        }

        public void LetGo() => _letGo.TrySetResult();
    }

    private sealed class IdleQueues : IPartitionQueues
    {
        public Task StartAsync(IEnumerable<int> starting, CancellationToken ct) => Task.CompletedTask;
        public Task StopAsync(IReadOnlyCollection<int> stopping, bool graceful, CancellationToken ct) => Task.CompletedTask;
    }
}
