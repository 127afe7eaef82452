using Marten;
using Remediation.Store;

namespace Remediation.Service.Hosting;

/// <summary>Stops start-up, once Marten has applied its schema, when the tables are not what the batch writer writes.</summary>
public sealed class StoreLayoutCheck(IDocumentStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var problems = await StoreLayout.ProblemsAsync(store, ct);
        if (problems.Count > 0)
            throw new InvalidOperationException($"the event store's tables are not what BatchWriter writes:\n{string.Join("\n", problems)}");
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
