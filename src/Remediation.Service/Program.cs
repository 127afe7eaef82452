using Remediation.Core.Runbooks;
using Remediation.Core.Storms;
using Remediation.Service.Hosting;

try
{
    await ServiceHost.Build(args).RunAsync();
    return 0;
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
