using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Service.Bus;
using Remediation.Service.Hosting;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// One trace from a fault to the step it caused: a plain-JSON fault with a W3C traceparent is taken in,
/// committed and answered with a step command, all in the publisher's trace, and the command carries it on to the agent.
/// </summary>
// Its activity listener is process-wide: it would trace, and slow, every other service under test.
[Collection(AloneCollection.Name)]
public sealed class TracingTests(Servers servers) : ServiceTests(servers), IDisposable
{
    private const string Node = "gpu-node-otel";
    private readonly ConcurrentQueue<Activity> _spans = new();
    private ActivityListener? _listener;

    [Fact]
    public async Task A_faults_traceparent_is_continued_by_its_consume_commit_and_step_command()
    {
        Listen();
        var agentTrace = ActivityTraceId.CreateRandom();
        await using var commands = await CommandQueueAsync();

        await PublishAsync(Exchanges.Faults, WireJson.Serialize(Faults.Xid(Node, 48)), $"00-{agentTrace}-{ActivitySpanId.CreateRandom()}-01");

        var command = await NextAsync(commands);
        var step = WireParser.TryParse<StepRequested>(command.Body, out var parsed, out var error) ? parsed! : throw new InvalidDataException(error);
        // gpu-reset quarantines the node (the service cordons it itself) and has the agent collect evidence before the reset.
        Assert.Equal("collect_evidence", step.Action);
        var carried = ActivityContext.Parse(Header(command, TraceHeaders.TraceParent), null);
        Assert.Equal(agentTrace, carried.TraceId);
        Assert.Equal(ActivityTraceFlags.Recorded, carried.TraceFlags);

        var trace = await SpansAsync(s => s.TraceId == agentTrace && s.OperationName == "step send");
        // Taken in on the ingest queue, in a span of the fault's trace linked to the one MassTransit consumed it in.
        var consumed = trace.Where(s => s.Source.Name == Tracing.SourceName && s.OperationName == "ingest")
            .Select(ingest => _spans.Single(s => s.SpanId == ingest.Links.Single().Context.SpanId)).ToList();
        Assert.Contains(consumed, s => s.Source.Name == BusTracing.SourceName && s.Kind == ActivityKind.Consumer && s.OperationName.StartsWith(BusTopology.FaultsQueue));
        Assert.Contains(trace, s => s.Source.Name == BusTracing.SourceName && s.Kind == ActivityKind.Producer && s.OperationName.Contains(Exchanges.Commands));
        // The fault's commit, and that of the cordon's result, which dispatched the evidence step.
        var commits = _spans.Where(s => s.OperationName == "commit" && Covers(s, agentTrace)).ToList();
        Assert.Equal(2, commits.Count);
        Assert.All(commits, c => Assert.Equal(ActivityStatusCode.Ok, c.Status));
        Assert.All(commits, c => Assert.True(c.GetTagItem("remediation.batch.events") is > 0));
        Assert.Contains(trace, s => s.OperationName == "step run" && s.GetTagItem("remediation.action") is "cordon");
        Assert.Equal(step.CommandId, trace.Single(s => s.OperationName == "step send").GetTagItem("remediation.command"));
    }

    [Fact]
    public async Task A_step_result_continues_the_trace_its_command_carried()
    {
        Listen();
        await using var commands = await CommandQueueAsync();
        await PublishAsync(Exchanges.Faults, WireJson.Serialize(Faults.Xid(Node, 48)), traceparent: null);
        var command = await NextAsync(commands);
        var step = WireParser.TryParse<StepRequested>(command.Body, out var parsed, out _) ? parsed! : throw new InvalidDataException();
        var carried = ActivityContext.Parse(Header(command, TraceHeaders.TraceParent), null);
        var result = new StepCompleted(step.CommandId, Node, StepOutcomes.Succeeded, 0, "reset", DateTimeOffset.UtcNow);

        var agentSpan = ActivitySpanId.CreateRandom();

        await PublishAsync(Exchanges.StepResults, WireJson.Serialize(result), $"00-{carried.TraceId}-{agentSpan}-01");

        // The next step (the health check after the reset) is dispatched by the result, in the same trace.
        var next = await NextAsync(commands);
        Assert.NotEqual(step.CommandId, WireParser.TryParse<StepRequested>(next.Body, out var following, out _) ? following!.CommandId : null);
        Assert.Equal(carried.TraceId, ActivityContext.Parse(Header(next, TraceHeaders.TraceParent), null).TraceId);
        await SpansAsync(s => s.OperationName == "ingest" && s.TraceId == carried.TraceId && s.ParentSpanId == agentSpan);
    }

    private static bool Covers(Activity span, ActivityTraceId trace) => span.TraceId == trace || span.Links.Any(l => l.Context.TraceId == trace);

    private void Listen()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is Tracing.SourceName or BusTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Waits until a span matching <paramref name="last"/> has stopped, then returns every span of its trace.</summary>
    private async Task<List<Activity>> SpansAsync(Func<Activity, bool> last)
    {
        for (var i = 0; i < 200; i++)
        {
            if (_spans.FirstOrDefault(last) is { } found) return _spans.Where(s => s.TraceId == found.TraceId).ToList();
            await Task.Delay(50);
        }
        throw new TimeoutException($"no such span; seen: {string.Join(", ", _spans.Select(s => $"{s.Source.Name}/{s.OperationName}"))}");
    }

    /// <summary>Reads this node's commands the way its agent would, from a queue bound to the commands exchange.</summary>
    private async Task<IChannel> CommandQueueAsync()
    {
        var channel = await Service.Bus.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(Exchanges.Commands, ExchangeType.Direct, durable: true);
        await channel.QueueDeclareAsync("test.commands", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync("test.commands", Exchanges.Commands, Node);
        return channel;
    }

    private static async Task<BasicGetResult> NextAsync(IChannel channel)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await channel.BasicGetAsync("test.commands", autoAck: true) is { } message) return message;
            await Task.Delay(100);
        }
        throw new TimeoutException("no step command arrived");
    }

    private async Task PublishAsync(string exchange, byte[] body, string? traceparent)
    {
        await using var channel = await Service.Bus.CreateChannelAsync(new CreateChannelOptions(true, true));
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true, UserId = BrokerUser.Of(Service.RabbitMq) };
        if (traceparent is not null) properties.Headers = new Dictionary<string, object?> { [TraceHeaders.TraceParent] = traceparent };
        await channel.BasicPublishAsync(exchange, "", mandatory: false, properties, body);
    }

    private static string Header(BasicGetResult message, string key) =>
        Encoding.UTF8.GetString(Assert.IsType<byte[]>(message.BasicProperties.Headers?[key]));

    public void Dispose() => _listener?.Dispose();
}
