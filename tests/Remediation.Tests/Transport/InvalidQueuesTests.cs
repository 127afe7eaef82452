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
        foreach (var queue in new[] { Exchanges.InvalidFaultsQueue, BusTopology.InvalidResultsQueue })
        {
            var declared = false;
            for (var i = 0; i < 100 && !declared; i++)
            {
                await using var channel = await Service.Bus.CreateChannelAsync();
                try
                {
                    declared = (await channel.QueueDeclarePassiveAsync(queue)).MessageCount == 0;
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
                {
                    await Task.Delay(100);
                }
            }
            Assert.True(declared, $"{queue} was not declared within 10 s of the service's start");
        }
    }
}
