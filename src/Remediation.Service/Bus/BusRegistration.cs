using MassTransit;
using Remediation.Contracts;
using Remediation.Service.Hosting;
using Remediation.Service.Ingest;
using Remediation.Service.Partitions;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// The service's bus: MassTransit on RabbitMQ owns the connection, its recovery, the receive endpoints and the
/// publisher confirms. Everything the rest of the service sees of it is in this folder: the senders, the partition
/// endpoints and the transport's health.
/// </summary>
public static class BusRegistration
{
    public static IServiceCollection AddRemediationBus(this IServiceCollection services, RemediationOptions options)
    {
        services.AddSingleton(BusIdentity.From(options.RabbitMq));
        services.AddSingleton<WireSender>();
        services.AddSingleton<InvalidMessages>();
        services.AddSingleton<CommandPublisher>();
        services.AddSingleton<ICommandSender>(sp => sp.GetRequiredService<CommandPublisher>());
        services.AddSingleton<PartitionEndpoints>();
        services.AddSingleton<IPartitionQueues>(sp => sp.GetRequiredService<PartitionEndpoints>());
        services.AddSingleton<LoopHandOff>();
        services.AddSingleton<BrokerConnection>();
        services.AddSingleton<QueueDepths>();
        services.AddSingleton<TransportOutages>();
        services.AddSingleton<TransportHealth>();
        services.AddSingleton<TransportWedge>();
        services.AddSingleton<BrokerProbe>();
        services.AddSingleton<EndpointStates>();
        services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<EndpointStates>());
        services.AddSingleton<AckWatch>();
        services.AddReceiveObserver(sp => sp.GetRequiredService<AckWatch>());
        services.AddHostedService(sp => sp.GetRequiredService<TransportHealth>());
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            // With the broker away start-up waits, as long as it takes, for it to answer; IngestEndpoints then waits
            // until the ingest queues are declared, bound and consumed.
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        services.AddMassTransit(x =>
        {
            // MassTransit reports usage to its maintainers over HTTPS by default: a fleet's control plane phones no one.
            x.DisableUsageTelemetry();
            x.UsingRabbitMq((context, cfg) =>
            {
                var amqp = new Uri(options.RabbitMq);
                var identity = context.GetRequiredService<BusIdentity>();
                var vhost = Uri.UnescapeDataString(amqp.AbsolutePath.TrimStart('/')) is { Length: > 0 } path ? path : "/";
                cfg.Host(amqp.Host, (ushort)(amqp.IsDefaultPort ? 5672 : amqp.Port), vhost, "remediation-service", h =>
                {
                    h.Username(identity.User);
                    h.Password(Uri.UnescapeDataString(amqp.UserInfo.Split(':').ElementAtOrDefault(1) ?? ""));
                    h.PublisherConfirmation = true;
                });
                // Its own temporary queue, named inside the broker user's space.
                cfg.OverrideDefaultBusEndpointQueueName($"remediation.bus.{Environment.MachineName}.{Guid.NewGuid():N}");
                // Plain JSON from any language, or MassTransit envelopes (their own deserializer, by content type).
                var json = new WireJsonSerializerFactory();
                cfg.AddSerializer(json);
                cfg.AddDeserializer(json, isDefault: true);
            });
        });
        // Started as a hosted service after the partition leases (see AddRemediation), the bus's by then long up.
        services.AddSingleton<IngestEndpoints>();
        services.AddHostedService<InvalidQueues>();
        return services;
    }
}
