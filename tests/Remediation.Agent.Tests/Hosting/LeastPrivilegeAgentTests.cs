using Remediation.Agent.Executing;
using Remediation.Agent.Hosting;
using Remediation.Agent.Publishing;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Hosting;

/// <summary>
/// The agent as it is deployed: its own broker user, named after the node, with the permissions deploy/rabbitmq gives
/// an agent and --no-declare. It reports and works, and every message it sends carries its user as the AMQP user_id.
/// </summary>
public sealed class LeastPrivilegeAgentTests : IAsyncLifetime
{
    private readonly string _node = $"gpu-lp-{Guid.NewGuid():N}"[..14];
    private readonly RabbitVhost _rabbit = new();
    private readonly HostTree _host = HostTree.Copy();
    private readonly string _state = Steps.StateDir();
    private readonly StringWriter _log = new();

    [Fact]
    public async Task An_agent_with_only_its_own_permissions_reports_runs_steps_and_signs_with_its_user()
    {
        var broker = await _rabbit.AgentUserAsync(_node);
        var fault = new FaultDetected("lp-1", _node, FaultKinds.Xid, 79, "PCI:0000:01:00", "NVRM: Xid (PCI:0000:01:00): 79, GPU has fallen off the bus.",
            DateTimeOffset.Parse("2026-11-25T10:00:00Z"), "kmsg", "train-a");
        using var stop = new CancellationTokenSource();
        var agent = new AgentHost(_node, TimeSpan.FromMilliseconds(100), declareQueue: false, [new ScriptedDetector(fault)],
            new StepExecutor(_node, _host.Root, new DryRunCommandRunner(_log), dryRun: true, new ResultStore(_state), TimeProvider.System),
            new FaultSpool(_state), () => broker, _log, TimeProvider.System);
        var run = agent.RunAsync(stop.Token);

        var reported = await ReceiveAsync(RabbitVhost.FaultsQueue);
        var step = new StepRequested($"inc-{_node}-1/gpu-reset/reset-gpu/1/00ff", _node, $"inc-{_node}-1", "gpu-reset", "reset-gpu",
            "gpu_reset", new Dictionary<string, string> { ["device"] = "PCI:0000:01:00" }, DateTimeOffset.UtcNow.AddMinutes(5));
        await _rabbit.Channel.BasicPublishAsync(Exchanges.Commands, _node, false, new RabbitMQ.Client.BasicProperties(), WireJson.Serialize(step));
        var answered = await ReceiveAsync(RabbitVhost.ResultsQueue);

        Assert.Equal(_node, reported.BasicProperties.UserId);
        Assert.Equal(_node, answered.BasicProperties.UserId);
        Assert.Contains("\"outcome\":\"succeeded\"", System.Text.Encoding.UTF8.GetString(answered.Body.Span));
        await stop.CancelAsync();
        await run;
    }

    private async Task<RabbitMQ.Client.BasicGetResult> ReceiveAsync(string queue)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await _rabbit.Channel.BasicGetAsync(queue, autoAck: true) is { } message) return message;
            await Task.Delay(100);
        }
        throw new TimeoutException($"nothing arrived on {queue}");
    }

    public Task InitializeAsync() => _rabbit.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _rabbit.DisposeAsync();
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
