using System.Net;
using System.Net.Sockets;
using Remediation.Service.Bus;
using Remediation.Service.Hosting;
using Remediation.Tests.Cluster;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Transport;

/// <summary>The probe that tells a broker outage (ride it out) from a stuck connection to a broker that answers.</summary>
public sealed class BrokerProbeTests(Servers servers) : IClassFixture<Servers>
{
    private static BrokerProbe Probe(string uri) => new(new RemediationOptions { RabbitMq = uri });

    [Fact]
    public async Task A_running_broker_answers()
    {
        Assert.True(await Probe(servers.RabbitMq.ToString()).AnswersAsync(TimeSpan.FromSeconds(5), CancellationToken.None),
            $"RabbitMQ at {servers.RabbitMq.Authority} did not greet the protocol header");
    }

    [Fact]
    public async Task Nothing_listening_is_no_answer()
    {
        var port = SlurmController.FreePort();
        Assert.False(await Probe($"amqp://guest:guest@127.0.0.1:{port}/").AnswersAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task A_listener_that_never_greets_is_no_answer_within_the_time_given()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var answered = await Probe($"amqp://guest:guest@127.0.0.1:{port}/").AnswersAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.False(answered, "a port that accepts and says nothing is not a broker");
    }
}
