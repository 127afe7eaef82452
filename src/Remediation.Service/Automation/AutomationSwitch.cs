using Marten;
using Remediation.Core.Automation;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Service.Automation;

/// <summary>
/// The global pause. Its position lives in PostgreSQL, so it survives restarts and every instance sees it; each
/// instance's decision loop refreshes it every couple of seconds and at once when the pause is set through it.
/// </summary>
public sealed class AutomationSwitch(IDocumentStore store, TimeProvider clock)
{
    /// <summary>Not a valid node id (see NodeNames), so it can never collide with a node's stream.</summary>
    public const string StreamKey = "$automation";

    private volatile AutomationPause? _pause;

    public AutomationPause? Current => _pause;

    public Task<AutomationControl> PauseAsync(string by, string reason, CancellationToken ct) =>
        SetAsync(new AutomationPaused(by, reason, clock.GetUtcNow()), ct);

    public Task<AutomationControl> ResumeAsync(string by, string reason, CancellationToken ct) =>
        SetAsync(new AutomationResumed(by, reason, clock.GetUtcNow()), ct);

    public async Task<AutomationControl> ReadAsync(CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var control = await query.LoadAsync<AutomationControl>(StreamKey, ct) ?? new AutomationControl(StreamKey, false, null, null, null);
        _pause = control.Paused ? new AutomationPause(control.By!, control.Reason!, control.Since!.Value) : null;
        return control;
    }

    public async Task<IReadOnlyList<object>> HistoryAsync(CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var events = await query.Events.FetchStreamAsync(StreamKey, token: ct);
        return events.Select(e => e.Data).ToList();
    }

    private async Task<AutomationControl> SetAsync(object change, CancellationToken ct)
    {
        var control = change switch
        {
            AutomationPaused p => new AutomationControl(StreamKey, true, p.By, p.Reason, p.PausedAt),
            AutomationResumed r => new AutomationControl(StreamKey, false, r.By, r.Reason, r.ResumedAt),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        await using var session = store.LightweightSession();
        session.Events.Append(StreamKey, change);
        session.Store(control);
        await session.SaveChangesAsync(ct);
        _pause = control.Paused ? new AutomationPause(control.By!, control.Reason!, control.Since!.Value) : null;
        return control;
    }
}
