using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using Remediation.Agent.Publishing;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Publishing;

/// <summary>Against the real RabbitMQ: what the agent publishes carries W3C trace context in a plain header.</summary>
public sealed class TraceContextTests : IAsyncLifetime
{
    private const string Node = "gpu-node-trace";
    private readonly RabbitVhost _rabbit = new();

    [Fact]
    public async Task A_published_fault_starts_a_sampled_trace_in_its_traceparent_header()
    {
        await using var session = await BrokerSession.OpenAsync(_rabbit.Broker, Node, default);

        await session.PublishFaultAsync(Fault("trace-1"), default);
        await session.PublishFaultAsync(Fault("trace-2"), default);

        var first = await TraceOfNextAsync(RabbitVhost.FaultsQueue);
        var second = await TraceOfNextAsync(RabbitVhost.FaultsQueue);
        Assert.Equal(ActivityTraceFlags.Recorded, first.TraceFlags);
        Assert.NotEqual(default, first.TraceId);
        Assert.NotEqual(first.TraceId, second.TraceId);
    }

    [Fact]
    public async Task A_result_continues_the_trace_its_command_came_in()
    {
        await using var session = await BrokerSession.OpenAsync(_rabbit.Broker, Node, default);
        await session.ConsumeCommandsAsync(Node, declare: true, async _ =>
        {
            var result = new StepCompleted("cmd-trace", Node, StepOutcomes.Succeeded, 0, "ok", DateTimeOffset.UtcNow);
            await session.PublishResultAsync(result, default);
        }, default);
        var command = ActivityContext.Parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            Headers = new Dictionary<string, object?> { [TraceHeaders.TraceParent] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
        };

        await _rabbit.Channel.BasicPublishAsync(Exchanges.Commands, Node, false, properties, "{}"u8.ToArray());

        var result = await TraceOfNextAsync(RabbitVhost.ResultsQueue);
        Assert.Equal(command.TraceId, result.TraceId);
        Assert.NotEqual(command.SpanId, result.SpanId);
    }

    private async Task<ActivityContext> TraceOfNextAsync(string queue)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await _rabbit.Channel.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                var header = Assert.IsType<byte[]>(message.BasicProperties.Headers?[TraceHeaders.TraceParent]);
                return ActivityContext.Parse(Encoding.UTF8.GetString(header), null);
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"nothing arrived on {queue}");
    }

    private static FaultDetected Fault(string eventId) =>
        new(eventId, Node, FaultKinds.Xid, 48, "PCI:0000:3b:00", "NVRM: Xid (PCI:0000:3b:00): 48", DateTimeOffset.UtcNow, "kmsg", "test");

    public Task InitializeAsync() => _rabbit.InitializeAsync();

    public Task DisposeAsync() => _rabbit.DisposeAsync();
}
