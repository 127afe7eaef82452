using System.Net.Sockets;
using Remediation.Service.Hosting;

namespace Remediation.Service.Bus;

/// <summary>
/// Whether the broker answers at all, asked apart from MassTransit's connection (which may be the very part that is
/// stuck): a TCP connection to the AMQP port that gets the broker's greeting (a connection.start method frame) back for
/// the protocol header. It opens no AMQP session, declares nothing and needs no permission.
/// </summary>
public sealed class BrokerProbe(RemediationOptions options)
{
    /// <summary>"AMQP" 0 0 9 1: the protocol header a client opens with.</summary>
    private static readonly byte[] Header = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 0, 9, 1];

    public async Task<bool> AnswersAsync(TimeSpan within, CancellationToken ct)
    {
        var amqp = new Uri(options.RabbitMq);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(within);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(amqp.Host, amqp.IsDefaultPort ? 5672 : amqp.Port, bounded.Token);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Header, bounded.Token);
            var frame = new byte[3];
            await stream.ReadExactlyAsync(frame, bounded.Token);
            // Frame type 1 (method) on channel 0.
            return frame is [1, 0, 0];
        }
        catch (Exception e) when (e is SocketException or IOException or EndOfStreamException
                                  || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
