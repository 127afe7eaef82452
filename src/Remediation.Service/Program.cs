using Remediation.Service.Hosting;
using Remediation.Service.Runbooks;

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
