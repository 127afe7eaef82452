using System.Text;
using Remediation.Contracts;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Trust;

public static class InvalidQueue
{
    /// <summary>Takes up to <paramref name="expected"/> parked messages, waiting up to 10 s for them.</summary>
    public static async Task<List<(string Reason, string Body)>> DrainAsync(ServiceUnderTest service, string queue, int expected)
    {
        await using var channel = await service.Bus.CreateChannelAsync();
        var parked = new List<(string, string)>();
        for (var i = 0; i < 100 && parked.Count < expected; i++)
        {
            var message = await channel.BasicGetAsync(queue, autoAck: true);
            if (message is null)
            {
                await Task.Delay(100);
                continue;
            }
            var reason = Encoding.UTF8.GetString((byte[])message.BasicProperties.Headers![Exchanges.InvalidReasonHeader]!);
            parked.Add((reason, Encoding.UTF8.GetString(message.Body.Span)));
        }
        return parked;
    }
}
