using Remediation.Core.Nodes;

namespace Remediation.Cli.Replaying;

/// <summary>What one incident amounted to in a replay, without its id: runbooks, steps and outcomes, approvals, end.</summary>
public sealed class IncidentSummary
{
    private readonly List<string> _runbooks = [];
    private readonly List<string> _steps = [];
    private readonly List<string> _approvals = [];
    private string _end = "still open";

    public void Apply(object e)
    {
        switch (e)
        {
            case RunbookStarted s: _runbooks.Add(s.Runbook); break;
            case StepDispatched d: _steps.Add($"{d.Runbook}/{d.Step}"); break;
            case StepSucceeded: Outcome("ok"); break;
            case StepFailed: Outcome("failed"); break;
            case StepTimedOut: Outcome("timed out"); break;
            case ApprovalRequested a: _approvals.Add($"{a.Runbook}/{a.Step}"); break;
            case ActionDeferred d: _steps.Add($"{d.Runbook}/{d.Step} deferred"); break;
            case StepShadowed s: _steps.Add($"{s.Runbook}/{s.Step} shadowed"); break;
            case IncidentResolved r: _end = $"resolved ({r.Resolution})"; break;
            case HandedToHuman h: _end = $"handed to a human ({h.Reason})"; break;
        }
    }

    private void Outcome(string outcome)
    {
        if (_steps.Count > 0) _steps[^1] += $" {outcome}";
    }

    public override string ToString()
    {
        var runbooks = _runbooks.Count == 0 ? "no runbook" : $"runbooks {string.Join(" > ", _runbooks)}";
        var steps = _steps.Count == 0 ? "no steps" : $"steps {string.Join(", ", _steps)}";
        var approvals = _approvals.Count == 0 ? "no approvals" : $"approvals {string.Join(", ", _approvals)}";
        return $"{runbooks}; {steps}; {approvals}; {_end}";
    }
}
