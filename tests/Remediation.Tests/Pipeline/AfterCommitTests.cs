using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Pipeline;

/// <summary>
/// Work after a commit (caching, deadlines, counted repeats, replies, acks) must never send the committed batch round to
/// be decided again. Here the log line the loop writes after every commit throws, as a broken logging sink would.
/// </summary>
public sealed class AfterCommitTests(Servers servers) : IClassFixture<Servers>, IAsyncLifetime
{
    private ServiceUnderTest _service = null!;

    public async Task InitializeAsync() => _service = await ServiceUnderTest.StartAsync(servers, new Dictionary<string, string?>
    {
        // Two cached nodes are one too many: the loop trims its cache, and logs it, after every commit.
        ["Pipeline:MaxCachedNodes"] = "1",
        ["Logging:LogLevel:Remediation.Service.Pipeline.DecisionLoop"] = "Information",
    }, services => services.AddSingleton<ILoggerProvider, ThrowingOnTrim>());

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task A_failure_after_the_commit_neither_decides_the_batch_again_nor_stalls_the_loop()
    {
        await _service.PublishAsync(Faults.Xid("gpu-after-1", 13), Faults.Xid("gpu-after-2", 13), Faults.Xid("gpu-after-3", 13));
        await WaitForAsync(async () => await CountAsync("fault_reported") == 3, "the first three faults recorded");
        await _service.PublishAsync(Faults.Xid("gpu-after-4", 13));
        await WaitForAsync(async () => await CountAsync("fault_reported") == 4, "a later fault recorded: the loop moved on");

        // The loop decides one batch at a time: had the last batch gone round again, its fault would be recorded again,
        // as an ignored repeat, before the next one.
        await _service.PublishAsync(Faults.Xid("gpu-after-5", 13));
        await WaitForAsync(async () => await CountAsync("fault_reported") == 5, "a fault after them recorded");

        Assert.True(ThrowingOnTrim.Thrown > 0, "the after-commit log line never threw: the test did not exercise the path");
        Assert.Equal(5, await CountAsync("fault_reported"));
        // Deciding a committed batch again would find its event ids already recorded and write one of these per retry.
        Assert.Equal(0, await CountAsync("fault_ignored"));
    }

    private async Task<long> CountAsync(string type)
    {
        await using var connection = new NpgsqlConnection(servers.Postgres);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from {_service.Schema}.mt_events where type = @type", connection);
        count.Parameters.AddWithValue("type", type);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until; await Task.Delay(200))
            if (await done()) return;
        throw new TimeoutException($"never saw {what}");
    }

    /// <summary>A logging sink that fails on the loop's cache-trim line, written after each commit.</summary>
    private sealed class ThrowingOnTrim : ILoggerProvider, ILogger
    {
        public static int Thrown;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!formatter(state, exception).StartsWith("Let go of")) return;
            Interlocked.Increment(ref Thrown);
            throw new InvalidOperationException("the logging sink is broken");
        }

        public void Dispose()
        {
        }
    }
}
