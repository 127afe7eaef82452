using System.Text;
using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using Remediation.Service.Bus;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Transport;

/// <summary>
/// A consume that finishes its work after its connection was lost cannot be acknowledged. MassTransit would still try,
/// and log the closed channel as an error with its stack: 523 of them in the second a broker shut down under load, in
/// `kill-9-while-rabbitmq-down`. The guard gives such a consume back to the broker instead, which delivers it again.
/// </summary>
public sealed class LostAcknowledgementTests(Servers servers) : ServiceTests(servers)
{
    [Fact]
    public async Task A_consume_done_after_its_connection_was_lost_is_given_back_and_delivered_again()
    {
        var queue = $"remediation.test.lost-ack-{Guid.NewGuid():N}"[..40];
        var receives = new ReceiveLog();
        var deliveries = 0;
        var endpoint = Service.Services.GetRequiredService<IReceiveEndpointConnector>().ConnectReceiveEndpoint(queue, (_, e) =>
        {
            var rabbit = (IRabbitMqReceiveEndpointConfigurator)e;
            rabbit.ConfigureConsumeTopology = false;
            rabbit.PublishFaults = false;
            rabbit.Handler<RoutedInput>(context => ConnectionLoss.GuardAsync(context.ReceiveContext, async _ =>
            {
                if (Interlocked.Increment(ref deliveries) > 1) return;
                // The work is done, and only then does the broker close the connection, as a broker shutting down does.
                var channel = context.ReceiveContext.GetPayload<ChannelContext>();
                await Servers.Vhosts.CloseConnectionsAsync(Service.Vhost, "remediation-service");
                for (var until = DateTime.UtcNow.AddSeconds(10); channel.ConnectionContext.Connection.IsOpen && DateTime.UtcNow < until;)
                    await Task.Delay(10, CancellationToken.None);
            }));
        });
        using var observed = endpoint.ReceiveEndpoint.ConnectReceiveObserver(receives);
        await endpoint.Ready.WaitAsync(TimeSpan.FromSeconds(30));

        await using (var channel = await Service.Bus.CreateChannelAsync())
        {
            var properties = new BasicProperties { Persistent = true };
            await channel.BasicPublishAsync("", queue, false, properties, Encoding.UTF8.GetBytes("""{"nodeId":"gpu-lost-ack-001"}"""));
        }

        for (var until = DateTime.UtcNow.AddSeconds(60); receives.Completed == 0 && DateTime.UtcNow < until;) await Task.Delay(100);
        Assert.True(receives.Completed == 1 && Volatile.Read(ref deliveries) >= 2,
            $"the message was delivered {deliveries} times and completed {receives.Completed} times within 60 s");
        Assert.True(receives.Errors.IsEmpty, $"ends logged as errors: {string.Join("; ", receives.Errors)}");
        Assert.True(receives.GivenBack >= 1, "the consume done after its connection was lost was not given back as a cancel");
        await endpoint.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// How each receive ended: given back (a cancel for the receive's own token, which MassTransit logs as one line),
    /// any other exception (which it logs as an error), or completed and acknowledged.
    /// </summary>
    private sealed class ReceiveLog : IReceiveObserver
    {
        private int _completed, _givenBack;

        public int Completed => Volatile.Read(ref _completed);
        public int GivenBack => Volatile.Read(ref _givenBack);
        public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

        public Task ReceiveFault(ReceiveContext context, Exception exception)
        {
            if (exception.GetBaseException() is OperationCanceledException given && given.CancellationToken == context.CancellationToken)
                Interlocked.Increment(ref _givenBack);
            else Errors.Enqueue($"{exception.GetType().Name}: {exception.Message}");
            return Task.CompletedTask;
        }

        public Task PostReceive(ReceiveContext context)
        {
            Interlocked.Increment(ref _completed);
            return Task.CompletedTask;
        }

        public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
            Task.CompletedTask;
    }
}
