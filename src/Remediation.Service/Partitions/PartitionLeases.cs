using Npgsql;
using Remediation.Service.Hosting;

namespace Remediation.Service.Partitions;

/// <summary>
/// Decides which partitions this instance works on. A partition is held through a PostgreSQL session advisory lock
/// on one dedicated connection: the lock cannot be held twice, and it goes away with the session, so an instance
/// that dies (kill -9, a lost machine: TCP keepalives end its session) frees its partitions for the others. Every
/// few seconds each instance counts the live instances (sessions with its application name) and takes free
/// partitions, or hands back its surplus, until each holds its fair share.
/// </summary>
public sealed class PartitionLeases(
    RemediationOptions options, PartitionOptions partitions, IPartitionQueues consumers, IPartitionNodes loop, RemediationMetrics metrics,
    ILogger<PartitionLeases> logger) : BackgroundService
{
    private readonly SortedSet<int> _held = [];
    private readonly string _application = ApplicationName(options.Schema);
    private readonly int _lockSpace = LockSpace(options.Schema);
    private readonly int _offset = Random.Shared.Next(partitions.Count);
    private NpgsqlConnection? _session;
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes once the first rebalance has run (whatever it managed): ingest waits for it, so a backlog found at
    /// start-up is decided here rather than sent round the broker to partitions this instance is about to take.
    /// </summary>
    public Task FirstPass => _firstPass.Task;

    /// <summary>The partitions held right now, for /health and the tests.</summary>
    public IReadOnlyList<int> Held
    {
        get
        {
            lock (_held) return _held.ToList();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                _session ??= await OpenAsync(ct);
                await RebalanceAsync(_session, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is not NpgsqlException && _session is { State: System.Data.ConnectionState.Open })
            {
                // RabbitMQ, not the leases: the partitions are still ours, their consumers come back on the next turn.
                logger.LogWarning("Starting partition consumers failed ({Error}); trying again on the next rebalance", e.Message);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Without the session the locks may already be someone else's: stop at once, never wait out a grace.
                logger.LogError("Partition leases lost ({Error}); handing back {Count} partitions", e.Message, Held.Count);
                await DropAllAsync(ct);
            }
            _firstPass.TrySetResult();
            try
            {
                await Task.Delay(partitions.Rebalance, ct);
            }
            catch (OperationCanceledException)
            {
                // stopping: StopAsync hands the partitions back
            }
        }
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        await base.StopAsync(ct);
        // A clean stop hands every partition over gracefully, so the next holder starts with nothing in doubt.
        await ReleaseAsync(Held, unlock: true, ct);
        if (_session is not null) await _session.DisposeAsync();
    }

    private async Task RebalanceAsync(NpgsqlConnection session, CancellationToken ct)
    {
        var live = Math.Max(1, await LiveInstancesAsync(session, ct));
        var share = (partitions.Count + live - 1) / live;
        var surplus = Held.OrderDescending().Take(Math.Max(0, Held.Count - share)).ToList();
        if (surplus.Count > 0) await ReleaseAsync(surplus, unlock: true, ct);
        var taken = new List<int>();
        for (var i = 0; i < partitions.Count && Held.Count + taken.Count < share; i++)
        {
            var partition = (_offset + i) % partitions.Count;
            if (!Held.Contains(partition) && await TryLockAsync(session, partition, ct)) taken.Add(partition);
        }
        if (taken.Count > 0)
        {
            try
            {
                await loop.AcquireAsync(taken, ct);
            }
            catch
            {
                // The loop could not load the partitions' nodes: hand the locks back, to be taken again next turn.
                await UnlockAsync(session, taken, ct);
                throw;
            }
            lock (_held) _held.UnionWith(taken);
            metrics.PartitionsHeld(Held.Count);
            logger.LogInformation("Took partitions {Partitions} ({Held} of {Count} held, {Live} instances live)",
                string.Join(",", taken), Held.Count, partitions.Count, live);
        }
        // Every held partition has a consumer; one whose start failed (RabbitMQ away) gets it on a later turn.
        await consumers.StartAsync(Held, ct);
    }

    private async Task ReleaseAsync(IReadOnlyList<int> released, bool unlock, CancellationToken ct)
    {
        if (released.Count == 0) return;
        await consumers.StopAsync(released, graceful: unlock, ct);
        await loop.ReleaseAsync(released, ct);
        lock (_held) _held.ExceptWith(released);
        metrics.PartitionsHeld(Held.Count);
        if (unlock && _session is { State: System.Data.ConnectionState.Open }) await UnlockAsync(_session, released, ct);
        logger.LogInformation("Handed back partitions {Partitions}", string.Join(",", released));
    }

    private async Task UnlockAsync(NpgsqlConnection session, IEnumerable<int> partitions, CancellationToken ct)
    {
        foreach (var partition in partitions)
        {
            await using var command = new NpgsqlCommand("select pg_advisory_unlock($1, $2)", session);
            command.Parameters.Add(new() { Value = _lockSpace });
            command.Parameters.Add(new() { Value = partition });
            await command.ExecuteScalarAsync(ct);
        }
    }

    private async Task DropAllAsync(CancellationToken ct)
    {
        var held = Held;
        // With the session gone no lock is ours from this moment: nothing counts as held while the hand-back runs, which
        // waits for a loop that may be retrying against the same lost database (health would otherwise read endpoints
        // stopped on purpose as a wedged transport).
        lock (_held) _held.Clear();
        try
        {
            await ReleaseAsync(held, unlock: false, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Stopping the consumers failed half-way; the loop must still let go of the nodes, or it would act for them.
            logger.LogError("Handing back partitions failed ({Error}); forgetting their nodes all the same", e.Message);
            await loop.ReleaseAsync(held, ct);
        }
        finally
        {
            metrics.PartitionsHeld(0);
            if (_session is not null) await _session.DisposeAsync();
            _session = null;
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.Postgres)
        {
            ApplicationName = _application,
            // Session locks live as long as the physical connection: it must never go back to a pool.
            Pooling = false,
            KeepAlive = 5,
            // The server ends the session of a client that vanished (a lost machine sends no FIN) within ~25 s.
            Options = "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3",
        };
        var session = new NpgsqlConnection(builder.ConnectionString);
        await session.OpenAsync(ct);
        return session;
    }

    private async Task<int> LiveInstancesAsync(NpgsqlConnection session, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select count(*) from pg_stat_activity where application_name = $1 and datname = current_database()", session);
        command.Parameters.Add(new() { Value = _application });
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct));
    }

    private async Task<bool> TryLockAsync(NpgsqlConnection session, int partition, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select pg_try_advisory_lock($1, $2)", session);
        command.Parameters.Add(new() { Value = _lockSpace });
        command.Parameters.Add(new() { Value = partition });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Instances of one deployment share a schema; another schema on the same server is another deployment.</summary>
    private static string ApplicationName(string schema) => $"remediation-leases:{schema}"[..Math.Min(63, 19 + schema.Length)];

    /// <summary>The advisory-lock space of one deployment: partitions lock (space, partition), the budget claim (space, -1).</summary>
    public static int LockSpace(string schema) => (int)PartitionMap.Fnv1a("remediation-partitions:" + schema);
}
