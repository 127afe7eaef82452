using Remediation.Contracts;
using Remediation.Service.Bus;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Transport;

/// <summary>
/// The invalid queues exist once the service is up, before anything is parked: the bus connects after start-up, and a
/// queue declared only at start was missing, its depth read by a passive declare that the broker logged as an error.
/// </summary>
public sealed class InvalidQueuesTests(Servers servers) : ServiceTests(servers)
{
    [Fact]
    public async Task Both_invalid_queues_are_declared_without_a_message_parked()
    {
        foreach (var queue in Queues) Assert.True(await DeclaredAsync(queue), $"{queue} was not declared within 10 s of the service's start");
    }

    [Fact]
    public async Task A_broker_that_comes_back_without_them_has_them_again_once_the_service_reconnects()
    {
        foreach (var queue in Queues) Assert.True(await DeclaredAsync(queue), $"{queue} was not declared at start");
        // A broker restarted without its data: the queues are gone and every connection is dropped.
        await using (var channel = await Service.Bus.CreateChannelAsync())
            foreach (var queue in Queues) await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        await Servers.Vhosts.CloseConnectionsAsync(Service.Vhost, "remediation-service");

        foreach (var queue in Queues) Assert.True(await DeclaredAsync(queue), $"{queue} was not declared again within 10 s of the reconnect");
    }

    private static readonly string[] Queues = [Exchanges.InvalidFaultsQueue, BusTopology.InvalidResultsQueue];

    private async Task<bool> DeclaredAsync(string queue)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var channel = await Service.Bus.CreateChannelAsync();
            try
            {
                return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount == 0;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }
}
