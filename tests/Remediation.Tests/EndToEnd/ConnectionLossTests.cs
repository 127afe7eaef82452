using Microsoft.Extensions.DependencyInjection;
using MassTransit;
using Npgsql;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// The service's sockets to the broker are torn down while thousands of inputs are in flight, twice, as a broker restart
/// or a network reset does. Before the guard in <c>ConnectionLoss</c>, acknowledgements written into the dead connection
/// left partition endpoints without a consumer for good, and the faults behind them were never recorded.
/// </summary>
public sealed class ConnectionLossTests(Servers servers) : ServiceTests(servers)
{
    private const int Chunk = 300;

    [Fact]
    public async Task Connections_closed_under_load_leave_every_partition_consuming_and_every_fault_recorded()
    {
        var logged = new FaultLog();
        using var _ = Service.Services.GetRequiredService<IBus>().ConnectConsumeObserver(logged);
        // Published until both kills are done, and each kill comes while commits are held and consumes wait on them: with
        // a fixed load and no hold, a quiet machine had drained it all before a kill in two runs of ten, and nothing was
        // in flight to give back.
        using var killing = new CancellationTokenSource();
        var publishing = Task.Run(async () =>
        {
            var published = 0;
            for (; !killing.IsCancellationRequested; published += Chunk, await Task.Delay(100))
                await Service.PublishAsync([.. Enumerable.Range(published, Chunk).Select(i => Faults.Xid($"gpu-loss-{i:D5}", 13))]);
            return published;
        });
        List<int> killed = [];
        for (var kill = 0; kill < 2; kill++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var ports = await ReconnectedAsync(killed);
            await using (await CommitsHeldAsync())
            {
                await logged.InFlightAsync(10, TimeSpan.FromSeconds(30));
                killed = await KillSocketsAsync(ports);
            }
        }
        await killing.CancelAsync();
        var published = await publishing;

        var recorded = 0L;
        for (var until = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < until && recorded < published; await Task.Delay(500))
            recorded = await RecordedAsync();
        Assert.True(recorded == published, $"{recorded} of {published} faults recorded 90 s after the connections were closed");

        var withoutConsumer = await PartitionsWithoutConsumerAsync();
        Assert.True(withoutConsumer.Count == 0, $"partition queues left without a consumer: {string.Join(", ", withoutConsumer)}");
        // Inputs given back to the broker with their connection are not faults: the operator's log must not say so.
        Assert.True(logged.Faults == 0 && logged.Given > 0,
            $"{logged.Given} consumes given back as cancels, {logged.Faults} logged as faults (the first: {logged.First})");
    }

    /// <summary>Destroys the service's TCP sockets (ss -K, as root): the client's reads and writes fail at once, mid-frame.</summary>
    private static async Task<List<int>> KillSocketsAsync(List<int> ports)
    {
        foreach (var port in ports)
        {
            var root = Environment.UserName == "root";
            var start = new System.Diagnostics.ProcessStartInfo(root ? "ss" : "sudo") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in (string[])[.. root ? [] : new[] { "-n", "ss" }, "-K", "sport", "=", $":{port}"]) start.ArgumentList.Add(arg);
            using var ss = System.Diagnostics.Process.Start(start)!;
            await ss.WaitForExitAsync();
            Assert.True(ss.ExitCode == 0, $"ss -K failed: {await ss.StandardError.ReadToEndAsync()}");
        }
        return ports;
    }

    /// <summary>The service's connection once it is up again after the last kill (the broker lists it a moment later).</summary>
    private async Task<List<int>> ReconnectedAsync(List<int> killed)
    {
        for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until; await Task.Delay(200))
            if ((await Servers.Vhosts.ClientPortsAsync(Service.Vhost, "remediation-service")).Except(killed).ToList() is { Count: > 0 } ports) return ports;
        throw new TimeoutException("the service did not connect to the broker again within 30 s");
    }

    /// <summary>
    /// Holds every commit of events (a lock that blocks writers, not readers) until the connection is disposed, which
    /// rolls its transaction back.
    /// </summary>
    private async Task<NpgsqlConnection> CommitsHeldAsync()
    {
        var connection = new NpgsqlConnection(Servers.Postgres);
        await connection.OpenAsync();
        await using var lockEvents = new NpgsqlCommand($"begin; lock table {Service.Schema}.mt_events in share mode", connection);
        await lockEvents.ExecuteNonQueryAsync();
        return connection;
    }

    private async Task<long> RecordedAsync()
    {
        await using var connection = new NpgsqlConnection(Servers.Postgres);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            $"select count(distinct data->>'eventId') from {Service.Schema}.mt_events where type in ('fault_reported', 'fault_ignored')", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private async Task<List<string>> PartitionsWithoutConsumerAsync()
    {
        // The broker's view lags a reconnect by a moment: ask until it settles, then report what is still missing.
        List<string> missing = [];
        for (var until = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < until; await Task.Delay(1000))
        {
            missing = (await Servers.Vhosts.ConsumersAsync(Service.Vhost))
                .Where(q => q.Key.StartsWith("remediation.partition.") && q.Value == 0).Select(q => q.Key).Order().ToList();
            if (missing.Count == 0) break;
        }
        return missing;
    }

    /// <summary>
    /// How MassTransit will log each consume that ended in an exception: as a cancel (one line) when it is an
    /// <see cref="OperationCanceledException"/> for the consume's own token, else as a fault (an error with its stack).
    /// </summary>
    private sealed class FaultLog : IConsumeObserver
    {
        private int _faults, _given, _inFlight;

        public int Faults => _faults;
        public int Given => _given;
        public string? First { get; private set; }

        /// <summary>Returns once this many consumes are under way (a kill then gives them back); throws if not in time.</summary>
        public async Task InFlightAsync(int count, TimeSpan atMost)
        {
            for (var until = DateTime.UtcNow + atMost; Volatile.Read(ref _inFlight) < count; await Task.Delay(1))
                if (DateTime.UtcNow > until) throw new TimeoutException($"{count} consumes were not in flight at once within {atMost.TotalSeconds} s");
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
        {
            Interlocked.Decrement(ref _inFlight);
            if (exception is OperationCanceledException given && given.CancellationToken == context.CancellationToken) Interlocked.Increment(ref _given);
            else if (Interlocked.Increment(ref _faults) == 1) First = $"{exception.GetType().Name}: {exception.Message}";
            return Task.CompletedTask;
        }

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class
        {
            Interlocked.Increment(ref _inFlight);
            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            Interlocked.Decrement(ref _inFlight);
            return Task.CompletedTask;
        }
    }
}
