using Remediation.Core.Nodes.Deciding;

namespace Remediation.Service.Pipeline;

public sealed partial class DecisionLoop
{
    private bool _budgetCounted;
    private Task<FleetBudget>? _counting;
    private FleetBudget? _budgetWhenCounting;

    /// <summary>The budget as the store has it: every instance's nodes, not only the ones this loop has seen.</summary>
    private async Task CountBudgetAsync(CancellationToken ct)
    {
        _budget = await CountStoredBudgetAsync(ct);
        _budgetCounted = true;
        _budgetWhenCounting = null; // a recount still running beside the loop started from a budget this one replaces
        metrics.Budget(_budget, _schedule.BudgetWaiting.Count);
    }

    private async Task<FleetBudget> CountStoredBudgetAsync(CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return await _budgetLedger.CountAsync(connection, ct);
    }

    /// <summary>
    /// The periodic recount reads every node document (0.6 s at 100,000 nodes here), so after the first it runs beside
    /// the loop instead of stalling every node's decisions. It starts between batches, when all this loop decided is
    /// committed; what the loop decides while it runs is added on top of it when it is taken, so a decision that
    /// committed before the count's snapshot counts twice until the next one: the side that spends less. A commit that
    /// starts a disruptive step counts again under the budget lock in any case.
    /// </summary>
    private async Task RecountBesideTheLoopAsync(bool due, CancellationToken ct)
    {
        if (!_budgetCounted)
        {
            if (due) await CountBudgetAsync(ct);
            return;
        }
        if (_counting is { IsCompleted: true } counted)
        {
            _counting = null;
            if (counted.IsCompletedSuccessfully && _budgetWhenCounting is { } before)
            {
                _budget = counted.Result with
                {
                    Disruptive = Math.Max(0, counted.Result.Disruptive + _budget.Disruptive - before.Disruptive),
                    OutOfService = Math.Max(0, counted.Result.OutOfService + _budget.OutOfService - before.OutOfService),
                };
                metrics.Budget(_budget, _schedule.BudgetWaiting.Count);
            }
            else if (counted.Exception is { } e) logger.LogWarning("Recounting the fleet budget failed: {Error}", e.InnerException?.Message);
        }
        if (due && _counting is null)
        {
            _budgetWhenCounting = _budget;
            _counting = CountStoredBudgetAsync(ct);
        }
    }

    /// <summary>The failed attempt already spent budget in memory for decisions that were never committed.</summary>
    private async Task RecountAfterFailureAsync(CancellationToken ct)
    {
        try
        {
            await CountBudgetAsync(ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Recounting the fleet budget failed: {Error}", e.Message);
        }
    }
}
