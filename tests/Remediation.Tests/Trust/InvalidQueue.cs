using System.Text;
using RabbitMQ.Client.Exceptions;
using Remediation.Contracts;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Trust;

public static class InvalidQueue
{
    /// <summary>Takes up to <paramref name="expected"/> parked messages, waiting up to 10 s for them (and for the queue).</summary>
    public static async Task<List<(string Reason, string Body)>> DrainAsync(ServiceUnderTest service, string queue, int expected)
    {
        var parked = new List<(string, string)>();
        for (var i = 0; i < 100 && parked.Count < expected; i++)
        {
            try
            {
                await using var channel = await service.Bus.CreateChannelAsync();
                while (parked.Count < expected && await channel.BasicGetAsync(queue, autoAck: true) is { } message)
                {
                    var reason = Encoding.UTF8.GetString((byte[])message.BasicProperties.Headers![Exchanges.InvalidReasonHeader]!);
                    parked.Add((reason, Encoding.UTF8.GetString(message.Body.Span)));
                }
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                // The queue is declared with the first message parked in it.
            }
            if (parked.Count < expected) await Task.Delay(100);
        }
        return parked;
    }
}
