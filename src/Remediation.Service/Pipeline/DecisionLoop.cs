using System.Diagnostics;
using System.Threading.Channels;
using Marten;
using Remediation.Service.Approvals;
using Remediation.Service.Hosting;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Automation;
using Remediation.Service.Partitions;
using Remediation.Service.Stats;
using Remediation.Store;
using Remediation.Core.Storms;

namespace Remediation.Service.Pipeline;

/// <summary>
/// The hot path: take a batch of inputs, decide each against its node's state, append every node's events in one
/// Marten session, commit, then acknowledge and publish. Nothing leaves the service before its decision is
/// committed, and nothing is acknowledged before then either. One loop per instance, fed by the partitions the
/// instance holds, keeps per-node order.
/// </summary>
public sealed partial class DecisionLoop(
    IDocumentStore store, BatchDecision batchDecision, ICommandSender publisher, PipelineOptions options, BudgetOptions limits,
    AutomationSwitch automation, TransportOutages outages, ApprovalNotifications approvals, IClusterSteps cluster, StormWatch storms,
    TalliedRepeats tallied, PartitionMap partitionMap, TimeProvider clock, RemediationMetrics metrics, CommitHealth health, StatsTables stats,
    StoredEvents log, OwedAcks owedAcks, ILogger<DecisionLoop> logger)
    : BackgroundService
{
    private readonly Channel<Inbound> _inbox = Channel.CreateBounded<Inbound>(
        new BoundedChannelOptions(options.Prefetch * 2) { SingleReader = true });
    private readonly Dictionary<string, NodeState> _nodes = [];
    private readonly Coalescer _coalescer = new();
    private readonly LoopSchedule _schedule = new(partitionMap, outages);
    private readonly List<StepDispatched> _undelivered = [];
    private DateTimeOffset _lastFlush;
    private DateTimeOffset _lastSwitchRead;
    private bool _pausedSeen;
    private FleetBudget _budget = new(0, limits.MaxDisruptive, 0, limits.MaxOutOfService(0));
    private FleetBudget? _budgetTried;
    private long _stormsRead;
    private readonly BudgetLedger _budgetLedger = new(limits, store.Options.DatabaseSchemaName);
    private readonly BatchWriter _writer = new(store);
    private bool _claimBudget = true;

    private DateTimeOffset? _committing;
    private long _lap;

    public ChannelWriter<Inbound> Inbox => _inbox.Writer;

    /// <summary>Age of the oldest input taken in and not yet committed: the batch being committed, else the inbox's head.</summary>
    public TimeSpan Lag(DateTimeOffset now)
    {
        var oldest = _committing ?? (_inbox.Reader.TryPeek(out var next) ? next.ReceivedAt : null);
        return oldest is { } at && now > at ? now - at : TimeSpan.Zero;
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        _lastFlush = clock.GetUtcNow();
        _lap = Stopwatch.GetTimestamp();
        var batch = new List<Inbound>(options.MaxBatch);
        await RunAsync(batch, ct);
    }

    private async Task RunAsync(List<Inbound> batch, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await WaitForInputAsync(ct);
            Lap(LoopStage.Wait);
            await ApplyControlAsync(ct);
            while (batch.Count < options.MaxBatch && _inbox.Reader.TryRead(out var item)) batch.Add(item);
            var now = clock.GetUtcNow();
            await WatchControlsAsync(batch, now, ct);
            AddDueTicks(batch, now);
            Lap(LoopStage.Controls);
            // Owed acks count early: they lag the settles that cause them by up to a commit, and the channel sends them
            // one by one at three quarters of its prefetch (BatchedAcks).
            var flush = _coalescer.Count > 0 && (now - _lastFlush >= options.CoalesceFlush || _coalescer.Count >= options.Prefetch / 2
                || owedAcks.Count >= options.Prefetch / 4);
            _committing = batch.Count > 0 ? batch.Min(b => b.ReceivedAt) : null;
            if (batch.Count > 0 || flush) await CommitWithRetryAsync(batch, flush, ct);
            _committing = null;
            if (_undelivered.Count > 0 || _nudges.Count > 0) await DeliverAsync(ct);
            Lap(LoopStage.Deliver);
            batch.Clear();
            health.Problem(Lag(clock.GetUtcNow()));
        }
    }

    /// <summary>Counts the time since the last lap to <paramref name="stage"/>: the stages of a turn add up to the loop's wall time.</summary>
    private void Lap(string stage)
    {
        var now = Stopwatch.GetTimestamp();
        metrics.LoopStage(stage, Stopwatch.GetElapsedTime(_lap, now));
        _lap = now;
    }

    private async Task WaitForInputAsync(CancellationToken ct)
    {
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
        tick.CancelAfter(options.Tick);
        try
        {
            await _inbox.Reader.WaitToReadAsync(tick.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // the tick elapsed with no input: time may still move a node on
        }
    }

    private DateTimeOffset? StepDue(NodeState state) => _schedule.StepDue(state, WaitingToBeSent(state));

    /// <summary>A committed step whose command has not left yet: its time has not started.</summary>
    private bool WaitingToBeSent(NodeState state) => state.Incident?.Pending is { } pending && _undelivered.Any(s => s.CommandId == pending.CommandId);

    private async Task CommitWithRetryAsync(List<Inbound> batch, bool flush, CancellationToken ct)
    {
        var budgetTaken = 0;
        Committed committed;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // A claim that fails three times over for one batch means the decider and the claim disagree: better one
                // step over budget than a loop that never commits anything again.
                _claimBudget = budgetTaken < 3;
                committed = await CommitAsync(batch, flush, ct);
                health.Committed();
                break;
            }
            catch (BudgetTakenException e)
            {
                // Not a failure: another instance spent the budget first. Decided again, these steps are deferred.
                logger.LogInformation("Fleet budget taken by another instance ({Reason}); deciding {Count} inputs again", e.Message, batch.Count);
                budgetTaken++;
                Forget(batch, flush);
                await RecountAfterFailureAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && StorageRefusal.Of(e) is { } refusal)
            {
                // The database refused what an input carries: retrying the same batch would refuse it forever and stall
                // every node behind it. Halve the batch until the input that fails is alone, park it, commit the rest.
                health.Failed(e);
                Forget(batch, flush);
                await RecountAfterFailureAsync(ct);
                await IsolateAsync(batch, flush, refusal, ct);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Cached states may be behind another writer's commit, or ahead of a failed one: reload them.
                health.Failed(e);
                Forget(batch, flush);
                logger.LogError(e, "Committing {Count} inputs failed (attempt {Attempt}); nothing was acknowledged, retrying", batch.Count, attempt);
                Lap(LoopStage.Write);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * attempt * attempt)), ct);
                await RecountAfterFailureAsync(ct);
                Lap(LoopStage.Wait);
            }
        }
        // Outside the retry: what follows a commit must never send the committed batch round to be decided again.
        AfterCommit(committed);
        Lap(LoopStage.AfterCommit);
    }

    private void Forget(List<Inbound> batch, bool flush)
    {
        foreach (var inbound in batch) _nodes.Remove(inbound.Input.NodeId);
        if (flush) _nodes.Clear();
    }

    private async Task IsolateAsync(List<Inbound> batch, bool flush, string refusal, CancellationToken ct)
    {
        if (batch.Count == 1 && !flush)
        {
            Refuse(batch[0], $"storage refused it: {refusal}");
            return;
        }
        if (batch.Count == 0)
        {
            // Only counted repeats were left, and they were checked on the way in: drop the counts rather than stall.
            logger.LogError("Storage refused the counted repeats of {Count} faults ({Reason}); their counts are dropped", _coalescer.Count, refusal);
            foreach (var delivery in _coalescer.Drain().SelectMany(d => d.Deliveries)) delivery.Settle();
            _coalescer.Clear();
            return;
        }
        var half = batch.Count / 2;
        await CommitWithRetryAsync(batch[..half], flush, ct);
        await CommitWithRetryAsync(batch[half..], false, ct);
    }
}
