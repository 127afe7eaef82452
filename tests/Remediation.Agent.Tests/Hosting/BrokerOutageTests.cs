using Remediation.Agent.Detecting;
using Remediation.Agent.Executing;
using Remediation.Agent.Hosting;
using Remediation.Agent.Publishing;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Hosting;

/// <summary>Against the real RabbitMQ: no fault is lost while the broker is unreachable or across an agent restart.</summary>
public sealed class BrokerOutageTests : IAsyncLifetime
{
    private const string Node = "gpu-node-061";
    private readonly RabbitVhost _rabbit = new();
    private readonly HostTree _host = HostTree.Copy();
    private readonly string _state = Steps.StateDir();
    private readonly StringWriter _log = new();

    private static FaultDetected Fault(string id) =>
        new(id, Node, FaultKinds.Xid, 79, "PCI:0000:01:00", "NVRM: Xid (PCI:0000:01:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
            DateTimeOffset.Parse("2026-11-25T10:00:00Z"), "kmsg", "train-a");

    private AgentHost Agent(Func<Uri> broker, params IDetector[] detectors) =>
        new(Node, TimeSpan.FromMilliseconds(100), declareQueue: true, detectors,
            new StepExecutor(Node, _host.Root, new DryRunCommandRunner(_log), dryRun: true, new ResultStore(_state), TimeProvider.System),
            new FaultSpool(_state), broker, _log, TimeProvider.System);

    [Fact]
    public async Task A_fault_found_while_the_broker_is_down_is_published_once_it_is_back()
    {
        var broker = _rabbit.Unreachable;
        using var stop = new CancellationTokenSource();
        var run = Agent(() => broker, new ScriptedDetector(Fault("outage-1"))).RunAsync(stop.Token);

        await Until(() => new FaultSpool(_state).Pending().Count == 1 && Logged().Contains("broker unavailable"));
        Assert.Null(await _rabbit.NextAsync<FaultDetected>(RabbitVhost.FaultsQueue));

        broker = _rabbit.Broker;
        var published = await _rabbit.ReceiveAsync<FaultDetected>(RabbitVhost.FaultsQueue);
        Assert.Equal("outage-1", published.EventId);
        await Until(() => new FaultSpool(_state).Pending().Count == 0);

        await stop.CancelAsync();
        await run;
        Assert.Null(await _rabbit.NextAsync<FaultDetected>(RabbitVhost.FaultsQueue));
    }

    [Fact]
    public async Task Faults_spooled_by_an_agent_that_stopped_are_published_by_the_next_one()
    {
        using (var first = new CancellationTokenSource())
        {
            var run = Agent(() => _rabbit.Unreachable, new ScriptedDetector(Fault("restart-1"), Fault("restart-2"))).RunAsync(first.Token);
            await Until(() => new FaultSpool(_state).Pending().Count == 2);
            await first.CancelAsync();
            await run;
        }

        using var second = new CancellationTokenSource();
        var next = Agent(() => _rabbit.Broker).RunAsync(second.Token);
        var ids = new[]
        {
            (await _rabbit.ReceiveAsync<FaultDetected>(RabbitVhost.FaultsQueue)).EventId,
            (await _rabbit.ReceiveAsync<FaultDetected>(RabbitVhost.FaultsQueue)).EventId,
        };
        Assert.Equal(["restart-1", "restart-2"], ids);
        await second.CancelAsync();
        await next;
    }

    [Fact]
    public async Task An_agent_stopped_while_a_connect_fails_stops_quietly()
    {
        using var stop = new CancellationTokenSource();
        // The stop lands between the attempt and its failure, the race that once let a connect error escape RunAsync.
        var agent = Agent(() =>
        {
            stop.Cancel();
            return new Uri("http://localhost/not-amqp");
        });

        await agent.RunAsync(stop.Token);

        Assert.False(agent.Connected);
    }

    [Fact]
    public async Task A_command_is_run_once_and_its_redelivery_answered_with_the_first_result()
    {
        using var stop = new CancellationTokenSource();
        var agent = Agent(() => _rabbit.Broker);
        var run = agent.RunAsync(stop.Token);
        await Until(() => agent.Connected);

        var step = new StepRequested("inc-gpu-node-061-1/gpu-reset/reset-gpu/1", Node, "inc-gpu-node-061-1", "gpu-reset", "reset-gpu",
            "gpu_reset", new Dictionary<string, string> { ["device"] = "PCI:0000:01:00" }, DateTimeOffset.UtcNow.AddMinutes(5));
        var properties = new RabbitMQ.Client.BasicProperties { ContentType = "application/json" };
        await _rabbit.Channel.BasicPublishAsync(Exchanges.Commands, Node, false, properties, WireJson.Serialize(step));
        var first = await _rabbit.ReceiveAsync<StepCompleted>(RabbitVhost.ResultsQueue);
        await _rabbit.Channel.BasicPublishAsync(Exchanges.Commands, Node, false, properties, WireJson.Serialize(step));
        var again = await _rabbit.ReceiveAsync<StepCompleted>(RabbitVhost.ResultsQueue);

        Assert.Equal(StepOutcomes.Succeeded, first.Outcome);
        Assert.Contains("dry-run: nvidia-smi --gpu-reset -i 0000:01:00.0", first.Output);
        Assert.Equal(first, again);
        Assert.Single(Logged().Split('\n'), l => l.Contains("would run nvidia-smi --gpu-reset"));
        await stop.CancelAsync();
        await run;
    }

    // The agent writes its log under a lock on the writer; read it under the same lock.
    private string Logged()
    {
        lock (_log) return _log.ToString();
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition());
    }

    public Task InitializeAsync() => _rabbit.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _rabbit.DisposeAsync();
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
