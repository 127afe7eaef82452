using Marten;
using Remediation.Store;

namespace Remediation.Service.Hosting;

/// <summary>
/// Stops start-up, once Marten has applied its schema, when the tables are not what the batch writer writes; then gives
/// the node documents their storage parameters (<see cref="StoreLayout.NodeDocumentStorage"/>).
/// </summary>
public sealed class StoreLayoutCheck(IDocumentStore store, ILogger<StoreLayoutCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var problems = await StoreLayout.ProblemsAsync(store, ct);
        if (problems.Count > 0)
            throw new InvalidOperationException($"the event store's tables are not what BatchWriter writes:\n{string.Join("\n", problems)}");
        try
        {
            if (await StoreLayout.KeepNodeDocumentsInlineAsync(store, ct))
                logger.LogInformation("Node documents kept inline from now on ({Storage})", StoreLayout.NodeDocumentStorage);
        }
        catch (Npgsql.PostgresException e)
        {
            // A table the service does not own (created by a DBA, say): it works as it is, only each commit costs more.
            logger.LogWarning("Could not set the node documents' storage ({Storage}): {Error}; commits write their TOAST too", StoreLayout.NodeDocumentStorage, e.MessageText);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
