using Marten;
using Marten.Services;
using Npgsql;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Pipeline;
using Remediation.Store;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Storage;

/// <summary>The budget claim inside a commit: it refuses what the decider would refuse now, and never a finished step.</summary>
public sealed class BudgetLedgerTests : IClassFixture<Servers>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-30T10:00:00Z");
    private readonly string _schema = $"budget{Guid.NewGuid():N}"[..20];
    private readonly DocumentStore _store;

    public BudgetLedgerTests(Servers servers) => _store = DocumentStore.For(o => o.ConfigureNodes(servers.Postgres, _schema));

    private BudgetLedger Ledger(int maxDisruptive) =>
        new(new BudgetOptions { MaxDisruptive = maxDisruptive, MaxOutOfServicePercent = 10, FleetSize = 10 }, _schema);

    public async Task InitializeAsync()
    {
        await _store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var session = _store.LightweightSession();
        session.Store(Node("gpu-out", cordoned: true), Node("gpu-cordoning", pending: "cordon"));
        await session.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_cordon_that_finishes_past_the_out_of_service_limit_is_committed_without_claiming_budget()
    {
        // One node is out already (the limit); the cordon sent before that now finishes: nothing new is started.
        var claimed = await ClaimAsync(1, Work(Node("gpu-cordoning", pending: "cordon"), Node("gpu-cordoning", cordoned: true)));
        Assert.False(claimed, "a finishing cordon took the budget lock, as only a new disruptive step should");
    }

    [Fact]
    public async Task A_new_disruptive_step_that_fits_claims_the_budget()
    {
        var claimed = await ClaimAsync(2, Work(NodeState.New("gpu-new"), Node("gpu-new", pending: "reboot", commandId: "c-5")));
        Assert.True(claimed, "a new reboot was committed without taking the budget lock that orders the instances' claims");
    }

    [Fact]
    public async Task A_new_disruptive_step_is_refused_when_the_disruptive_slots_are_taken()
    {
        var error = await Assert.ThrowsAsync<BudgetTakenException>(() => ClaimAsync(1, Work(NodeState.New("gpu-new"), Node("gpu-new", pending: "reboot", commandId: "c-2"))));
        Assert.Contains("disruptive steps", error.Message); // the cordon in flight fills the one slot
    }

    [Fact]
    public async Task A_slot_freed_in_the_same_batch_is_taken_as_the_decider_counted_it()
    {
        // The one slot is the cordon in flight; it finishes in this batch, and a reboot starts on another node.
        var claimed = await ClaimAsync(1, Work(Node("gpu-cordoning", pending: "cordon"), Node("gpu-cordoning")),
            Work(NodeState.New("gpu-new"), Node("gpu-new", pending: "reboot", commandId: "c-6")));
        Assert.True(claimed);
    }

    [Fact]
    public async Task A_cordon_fits_where_the_same_batch_brings_a_node_back_into_service()
    {
        // Out of service is at its limit (1 of 10% of 10); the cordoned node is released in this batch, another cordoned.
        var claimed = await ClaimAsync(5, Work(Node("gpu-out", cordoned: true), NodeState.New("gpu-out") with { Version = 2 }),
            Work(Node("gpu-cordoning", pending: "cordon"), Node("gpu-cordoning")),
            Work(NodeState.New("gpu-next"), Node("gpu-next", pending: "cordon", commandId: "c-7")));
        Assert.True(claimed);
    }

    [Fact]
    public async Task A_new_cordon_at_the_out_of_service_limit_is_refused()
    {
        var error = await Assert.ThrowsAsync<BudgetTakenException>(() => ClaimAsync(5, Work(NodeState.New("gpu-new"), Node("gpu-new", pending: "cordon", commandId: "c-3"))));
        Assert.Contains("out of service", error.Message);
    }

    [Fact]
    public async Task A_step_that_goes_on_takes_nothing_new_and_a_harmless_one_takes_nothing_at_all()
    {
        var claimed = await ClaimAsync(1, Work(Node("gpu-cordoning", pending: "cordon"), Node("gpu-cordoning", pending: "cordon") with { Version = 2 }),
            Work(NodeState.New("gpu-reset"), Node("gpu-reset", pending: "gpu_reset", commandId: "c-4")));
        Assert.False(claimed, "a cordon going on or a gpu_reset took the budget lock, as only a new disruptive step should");
    }

    [Fact]
    public async Task The_count_in_one_pass_agrees_with_the_deciders_tests_node_by_node()
    {
        NodeState[] fleet =
        [
            NodeState.New("gpu-healthy"),
            Node("gpu-in-repair") with { Status = NodeStatus.InRepair },
            Node("gpu-drained-in-incident") with { Incident = Node("x", cordoned: true).Incident },
            Node("gpu-rebooting", pending: "reboot"),
            Node("gpu-resetting", pending: "gpu_reset"),
            Node("gpu-bouncing-link", pending: "link_bounce"),
        ];
        await using (var session = _store.LightweightSession())
        {
            session.Store(fleet);
            await session.SaveChangesAsync();
        }
        var all = fleet.Concat([Node("gpu-out", cordoned: true), Node("gpu-cordoning", pending: "cordon")]).ToList();

        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        // No fleet size configured: the out-of-service limit is half of the nodes known, 4 of 8.
        var budget = await new BudgetLedger(new BudgetOptions { MaxDisruptive = 2, MaxOutOfServicePercent = 50 }, _schema).CountAsync(connection, CancellationToken.None);

        Assert.Equal((all.Count(FleetBudget.IsDisruptive), all.Count(FleetBudget.IsOutOfService)), (budget.Disruptive, budget.OutOfService));
        Assert.Equal((3, 3), (budget.Disruptive, budget.OutOfService)); // reboot, link bounce, cordon; in repair, drained, cordoned
        Assert.Equal(4, budget.MaxOutOfService);
    }

    /// <summary>Claims in a transaction of its own; true when the claim took the budget lock, as a claim that counts does.</summary>
    private async Task<bool> ClaimAsync(int maxDisruptive, params NodeWork[] work)
    {
        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Ledger(maxDisruptive).ClaimAsync(connection, work, CancellationToken.None);
        await using var locks = new NpgsqlCommand("select count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()", connection, transaction);
        return (long)(await locks.ExecuteScalarAsync())! > 0;
    }

    private static NodeWork Work(NodeState loaded, NodeState after)
    {
        var work = new NodeWork(loaded);
        work.Add([], after);
        return work;
    }

    private static NodeState Node(string id, string? pending = null, string commandId = "c-1", bool cordoned = false) =>
        NodeState.New(id) with
        {
            Status = cordoned ? NodeStatus.Cordoned : NodeStatus.Remediating,
            Version = 1,
            Incident = new Incident($"inc-{id}", "xid:95:-", "xid", 95, null, null, T0, 1, null, "cordon-and-rma", [], [],
                pending is null ? null : new PendingStep(commandId, "step", pending, 0, 1, false, T0.AddMinutes(5), new Dictionary<string, string>()),
                null, Cordoned: cordoned),
        };
}
