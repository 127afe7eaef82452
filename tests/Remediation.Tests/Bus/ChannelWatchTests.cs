using RabbitMQ.Client;
using Remediation.Service.Bus;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Bus;

/// <summary>Which channels the client's recovery left behind, on a real broker.</summary>
[Collection(ServersCollection.Name)]
public sealed class ChannelWatchTests(Servers servers)
{
    [Fact]
    public async Task A_channel_closed_while_its_connection_is_open_is_lost_once_the_grace_has_passed()
    {
        await using var connection = await BusTopology.Factory(servers.RabbitMq.ToString(), "channel-watch-test").CreateConnectionAsync();
        await using var open = await connection.CreateChannelAsync();
        var closed = await connection.CreateChannelAsync();
        await closed.CloseAsync();
        var watch = new ChannelWatch(TimeSpan.FromMilliseconds(300));

        Assert.False(watch.Lost(connection, closed)); // recovery may still be reopening it
        await Task.Delay(400);
        Assert.True(watch.Lost(connection, closed));
        Assert.False(watch.Lost(connection, open));
    }

    [Fact]
    public async Task Nothing_is_lost_while_the_connection_itself_is_down()
    {
        var connection = await BusTopology.Factory(servers.RabbitMq.ToString(), "channel-watch-test").CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await connection.CloseAsync();
        var watch = new ChannelWatch(TimeSpan.Zero);

        Assert.False(watch.Lost(connection, channel));
        await Task.Delay(50);
        Assert.False(watch.Lost(connection, channel));
        await connection.DisposeAsync();
    }
}
