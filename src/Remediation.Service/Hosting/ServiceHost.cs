namespace Remediation.Service.Hosting;

/// <summary>Builds the service host; Program, the CLI's bench and the tests all start the same thing.</summary>
public static class ServiceHost
{
    /// <param name="extra">Registrations on top of the service's own (the tests add a logger provider, for one).</param>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? extra = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        builder.Services.AddRemediation(builder.Configuration);
        extra?.Invoke(builder.Services);
        return builder.Build().MapRemediation();
    }
}
