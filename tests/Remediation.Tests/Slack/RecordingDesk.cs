using System.Threading.Channels;
using Remediation.Service.Approvals;

namespace Remediation.Tests.Slack;

/// <summary>
/// An approval desk with the real desk's rules in miniature (first decision wins, unknown ids are unknown) that records
/// what the Slack layer asked of it. It stands in until the real desk exists; these tests are of the Slack layer only.
/// </summary>
public sealed class RecordingDesk(params string[] waiting) : IApprovalDesk
{
    private readonly HashSet<string> _known = [.. waiting];
    private readonly HashSet<string> _waiting = [.. waiting];
    private readonly Channel<object> _arrivals = Channel.CreateUnbounded<object>();
    private readonly List<object> _calls = [];

    /// <summary>When set, DecideAsync waits for it, like a desk waiting for its commit.</summary>
    public Task? Gate { get; set; }

    public IReadOnlyList<object> Calls
    {
        get { lock (_calls) return [.. _calls]; }
    }

    public async Task<ApprovalAnswer> DecideAsync(ApprovalCommand command, CancellationToken ct)
    {
        Record(command);
        if (Gate is not null) await Gate.WaitAsync(ct);
        lock (_waiting)
        {
            if (!_known.Contains(command.ApprovalId)) return new ApprovalAnswer(ApprovalAnswerKind.Unknown, null, "no such approval");
            return _waiting.Remove(command.ApprovalId)
                ? new ApprovalAnswer(ApprovalAnswerKind.Decided, "gpu-node-017", "decided")
                : new ApprovalAnswer(ApprovalAnswerKind.NotWaiting, "gpu-node-017", "granted earlier by slack:UA8RXUSPL");
        }
    }

    public Task RecordRefusalAsync(string approvalId, string who, string reason, CancellationToken ct)
    {
        Record(new Refusal(approvalId, who, reason));
        return Task.CompletedTask;
    }

    /// <summary>The next call not yet taken, waiting for it to arrive.</summary>
    public async Task<object> NextAsync(int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            return await _arrivals.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the approval desk was not called within {seconds}s; calls so far: {string.Join(", ", Calls)}");
        }
    }

    private void Record(object call)
    {
        lock (_calls) _calls.Add(call);
        _arrivals.Writer.TryWrite(call);
    }
}

public sealed record Refusal(string ApprovalId, string Who, string Reason);
