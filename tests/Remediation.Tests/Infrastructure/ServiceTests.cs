namespace Remediation.Tests.Infrastructure;

/// <summary>A test class whose every test gets a fresh service, schema and vhost on the shared servers.</summary>
[Collection(ServersCollection.Name)]
public abstract class ServiceTests(Servers servers) : IAsyncLifetime
{
    protected ServiceUnderTest Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await ServiceUnderTest.StartAsync(servers);

    public async Task DisposeAsync() => await Service.DisposeAsync();
}
