using Remediation.Agent.Publishing;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;

namespace Remediation.Agent.Tests.Publishing;

/// <summary>
/// Against the real RabbitMQ: a command whose handler throws is requeued, not left unacknowledged, so the prefetch-one
/// consumer keeps taking commands.
/// </summary>
public sealed class CommandSettlementTests : IAsyncLifetime
{
    private const string Node = "gpu-node-062";
    private readonly RabbitVhost _rabbit = new();

    [Fact]
    public async Task A_command_whose_handler_throws_is_requeued_and_later_commands_still_arrive()
    {
        var handled = new List<string>();
        var firstAttempts = 0;
        await using var session = await BrokerSession.OpenAsync(_rabbit.Broker, Node, default);
        await session.ConsumeCommandsAsync(Node, declare: true, body =>
        {
            var text = System.Text.Encoding.UTF8.GetString(body.Span);
            lock (handled)
            {
                if (text == "first" && ++firstAttempts == 1) throw new IOException("result could not be published");
                handled.Add(text);
            }
            return Task.CompletedTask;
        }, default);

        var properties = new RabbitMQ.Client.BasicProperties { ContentType = "application/json" };
        await _rabbit.Channel.BasicPublishAsync(Exchanges.Commands, Node, false, properties, "first"u8.ToArray());
        await _rabbit.Channel.BasicPublishAsync(Exchanges.Commands, Node, false, properties, "second"u8.ToArray());

        for (var i = 0; i < 300 && Handled().Count < 2; i++) await Task.Delay(100);
        Assert.Equal(["first", "second"], Handled());
        Assert.Equal(2, firstAttempts);
        Assert.Equal(0u, await _rabbit.Channel.MessageCountAsync(BrokerSession.QueueOf(Node)));

        List<string> Handled()
        {
            lock (handled) return handled.ToList();
        }
    }

    public Task InitializeAsync() => _rabbit.InitializeAsync();

    public Task DisposeAsync() => _rabbit.DisposeAsync();
}
