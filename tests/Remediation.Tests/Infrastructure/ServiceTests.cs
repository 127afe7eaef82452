namespace Remediation.Tests.Infrastructure;

/// <summary>
/// A test class whose every test gets a fresh service, schema and vhost on the shared servers. Each class is a test
/// collection of its own, so classes run side by side (xunit.runner.json says how many at once).
/// </summary>
public abstract class ServiceTests(Servers servers) : IClassFixture<Servers>, IAsyncLifetime
{
    protected Servers Servers { get; } = servers;

    protected ServiceUnderTest Service { get; private set; } = null!;

    /// <summary>Configuration a test class runs its service with, on top of the test defaults.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync() => Service = await ServiceUnderTest.StartAsync(Servers, Settings);

    public async Task DisposeAsync() => await Service.DisposeAsync();
}
