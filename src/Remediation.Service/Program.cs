using Remediation.Core.Runbooks;
using Remediation.Core.Storms;
using Remediation.Service.Bus;
using Remediation.Service.Hosting;

try
{
    var app = ServiceHost.Build(args);
    var wedge = app.Services.GetRequiredService<TransportWedge>();
    app.Lifetime.ApplicationStopping.Register(wedge.Stopping);
    await app.RunAsync();
    return wedge.Reason is null ? 0 : TransportWedge.ExitCode;
}
catch (RunbookFileException e)
{
    await Console.Error.WriteLineAsync($"remediation-service: refusing to start: runbook {e.Message}");
    return 1;
}
catch (TopologyFileException e)
{
    await Console.Error.WriteLineAsync($"remediation-service: refusing to start: topology {e.Message}");
    return 1;
}
