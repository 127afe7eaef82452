using RabbitMQ.Client;

namespace Remediation.Faults.Harness;

/// <summary>Connections to a scenario's vhost that recover by themselves, as a real agent's would.</summary>
public static class Broker
{
    public static Task<IConnection> ConnectAsync(Uri vhost, string name, CancellationToken ct) => new ConnectionFactory
    {
        Uri = vhost,
        ClientProvidedName = name,
        AutomaticRecoveryEnabled = true,
        TopologyRecoveryEnabled = true,
        NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
    }.CreateConnectionAsync(ct);

    public static async Task<uint> DepthAsync(IConnection connection, string queue, CancellationToken ct)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var ok = await channel.QueueDeclarePassiveAsync(queue, ct);
        return ok.MessageCount;
    }
}
