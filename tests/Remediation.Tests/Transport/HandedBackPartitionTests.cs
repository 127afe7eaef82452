using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Remediation.Service.Bus;
using Remediation.Service.Partitions;
using Remediation.Service.Pipeline;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Transport;

/// <summary>
/// A partition endpoint whose transport outlives its hand-back (its stop never reached the consumer) must not keep the
/// queue: on a single-active-consumer queue the next holder waits behind it for as long as it consumes.
/// </summary>
public sealed class HandedBackPartitionTests(Servers servers) : ServiceTests(servers)
{
    [Fact]
    public async Task A_consumer_still_receiving_after_its_hand_back_lets_the_queue_pass_to_the_next_holder()
    {
        var queue = $"remediation.partition.handback-{Guid.NewGuid():N}"[..40];
        var handedBack = new CancellationTokenSource();
        await handedBack.CancelAsync();
        var consumer = new PartitionInputConsumer(Get<LoopHandOff>(), Get<InvalidMessages>(), handedBack.Token,
            Get<ILoggerFactory>().CreateLogger<HandedBackPartitionTests>());
        var endpoint = Get<IReceiveEndpointConnector>().ConnectReceiveEndpoint(queue, (_, e) =>
            BusEndpoints.ConfigurePartition(e, consumer, Get<InvalidMessages>(), Get<PipelineOptions>(), Get<PartitionOptions>(), Get<BrokerConnection>(), Get<OwedAcks>()));
        await endpoint.Ready.WaitAsync(TimeSpan.FromSeconds(30));

        // The next holder: a consumer registered after the stale one, so the broker keeps it waiting while that one is active.
        await using var channel = await Service.Bus.CreateChannelAsync();
        var taken = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = new AsyncEventingBasicConsumer(channel);
        next.ReceivedAsync += async (_, delivery) =>
        {
            taken.TrySetResult(Encoding.UTF8.GetString(delivery.Body.Span));
            await channel.BasicAckAsync(delivery.DeliveryTag, false);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, next);

        var fault = JsonSerializer.Serialize(Faults.Xid("gpu-handback-001", 79));
        var properties = new BasicProperties { Headers = new Dictionary<string, object?> { [BusTopology.InputHeader] = BusTopology.FaultInput } };
        await channel.BasicPublishAsync("", queue, false, properties, Encoding.UTF8.GetBytes(fault));

        var winner = await Task.WhenAny(taken.Task, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(winner == taken.Task, "the next holder never got the message: the handed-back consumer kept the queue");
        Assert.Equal(fault, await taken.Task);
        await endpoint.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private T Get<T>() where T : notnull => Service.Services.GetRequiredService<T>();
}
