namespace Remediation.Service.Hosting;

/// <summary>Builds the service host; Program, the CLI's bench and the tests all start the same thing.</summary>
public static class ServiceHost
{
    public static WebApplication Build(string[] args, IDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        builder.Services.AddRemediation(builder.Configuration);
        return builder.Build().MapRemediation();
    }
}
