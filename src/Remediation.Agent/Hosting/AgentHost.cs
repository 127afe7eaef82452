using System.Threading.Channels;
using Remediation.Agent.Detecting;
using Remediation.Agent.Executing;
using Remediation.Agent.Publishing;
using Remediation.Agent.Running;
using Remediation.Contracts;

namespace Remediation.Agent.Hosting;

/// <summary>
/// The running agent: detectors feed the on-disk spool, the broker loop drains it with publisher confirms and runs
/// the node's commands. A lost broker only pauses the drain; the loop reconnects and carries on from the spool.
/// </summary>
public sealed class AgentHost(
    string nodeId, TimeSpan poll, bool declareQueue, IReadOnlyList<IDetector> detectors, StepExecutor executor,
    FaultSpool spool, Func<Uri> broker, TextWriter log, TimeProvider clock, DetectorPause? pause = null)
{
    private readonly DetectorPause _pause = pause ?? new DetectorPause();
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public bool Connected { get; private set; }

    public Task ReportAsync(FaultDetected fault)
    {
        spool.Append(fault);
        Log($"fault {fault.Kind} {fault.Device ?? "-"}: {fault.Message}");
        _wake.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(DetectLoopAsync(ct), BrokerLoopAsync(ct));

    private async Task DetectLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(poll, clock);
        do
        {
            if (!await _pause.TryPollAsync(() => PollAllAsync(ct))) Log("detectors paused: a step holds the GPUs");
        } while (await Ticked(timer, ct));
    }

    private async Task PollAllAsync(CancellationToken ct)
    {
        foreach (var detector in detectors)
        {
            try
            {
                foreach (var fault in await detector.PollAsync(ct)) await ReportAsync(fault);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log($"detector {detector.Name} failed: {e.Message}");
            }
        }
    }

    private async Task BrokerLoopAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var session = await BrokerSession.OpenAsync(broker(), nodeId, ct);
                await session.ConsumeCommandsAsync(nodeId, declareQueue, body => HandleCommandAsync(session, body, ct), ct);
                Connected = true;
                Log("connected to the broker");
                backoff = TimeSpan.FromSeconds(1);
                while (session.IsOpen && !ct.IsCancellationRequested)
                {
                    foreach (var fault in spool.Pending())
                    {
                        await session.PublishFaultAsync(fault, ct);
                        spool.Confirm(fault.EventId);
                    }
                    await WaitForWorkAsync(ct);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Log($"broker unavailable ({e.GetType().Name}: {e.Message}); faults stay spooled; retrying in {backoff.TotalSeconds:0}s");
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // Stopping while a connect fails: whatever it threw, the agent is shutting down, not broken.
                break;
            }
            Connected = false;
            await Sleep(backoff, ct);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task HandleCommandAsync(BrokerSession session, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        if (!WireParser.TryParse<StepRequested>(body, out var step, out var error))
        {
            Log($"dropping a command that does not parse: {error}");
            return;
        }
        Log($"step {step!.CommandId}: {step.Action}");
        try
        {
            var result = await executor.ExecuteAsync(step, ct);
            Log($"step {result.CommandId}: {result.Outcome}");
            await session.PublishResultAsync(result, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            Log($"step {step.CommandId} not answered ({e.GetType().Name}: {e.Message}); the command goes back on the queue");
            throw;
        }
    }

    private async Task WaitForWorkAsync(CancellationToken ct)
    {
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
        tick.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await _wake.Reader.ReadAsync(tick.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // A second without news: look at the connection and the spool again.
        }
    }

    private static async Task<bool> Ticked(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task Sleep(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, clock, ct);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private void Log(string line)
    {
        lock (log) log.WriteLine($"{clock.GetUtcNow():O} {line}");
    }
}
