namespace Remediation.Specs.Architecture;

/// <summary>
/// MassTransit and RabbitMQ.Client stay behind the service's own ingest and publishing seams, all in <c>Service/Bus</c>:
/// the rest of the service sees the bus's classes and the interfaces they implement, never a transport type.
/// </summary>
public sealed class BusSeamTests
{
    private static readonly string[] Transport = ["MassTransit", "RabbitMQ"];

    [Fact]
    public void Only_the_bus_folder_of_the_service_names_the_transport()
    {
        var offending = SourceFile.Under("src/Remediation.Service")
            .Where(f => f.Namespace != "Remediation.Service.Bus" && !f.Namespace.StartsWith("Remediation.Service.Bus.", StringComparison.Ordinal))
            .SelectMany(f => f.Named.Where(n => Transport.Any(t => n == t || n.StartsWith(t + ".", StringComparison.Ordinal))).Select(n => $"{f.Path}: {n}"))
            .ToList();

        Assert.True(offending.Count == 0, $"only Service/Bus may name MassTransit or RabbitMQ; outside it:\n{string.Join("\n", offending)}");
    }
}
