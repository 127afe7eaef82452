namespace Remediation.Service.Pipeline;

/// <summary>
/// Whether the decision loop is moving: when it last committed, and since when its commits fail and why. A loop that
/// retries one batch forever, or holds inputs without committing, must show on /health and in the log, not only in a
/// lag gauge nobody reads.
/// </summary>
public sealed class CommitHealth(HealthOptions options, TimeProvider clock, ILogger<CommitHealth> logger)
{
    /// <summary>How long commits may fail before /health calls the pipeline broken: a single retried deadlock is not.</summary>
    public static readonly TimeSpan FailingAfter = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private DateTimeOffset _lastCommit = clock.GetUtcNow();
    private DateTimeOffset? _failingSince;
    private string? _lastError;
    private bool _stallLogged;

    public void Committed()
    {
        lock (_gate)
        {
            _lastCommit = clock.GetUtcNow();
            if (_failingSince is not null) logger.LogInformation("Commits succeed again after failing since {Since:O}", _failingSince);
            _failingSince = null;
            _lastError = null;
            _stallLogged = false;
        }
    }

    public void Failed(Exception e)
    {
        lock (_gate)
        {
            _failingSince ??= clock.GetUtcNow();
            _lastError = e.Message;
        }
    }

    /// <summary>Why the pipeline is not moving, or null; logs a warning once per episode.</summary>
    public PipelineProblem? Problem(TimeSpan lag)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var maxStall = options.MaxStall;
            PipelineProblem? problem = null;
            if (_failingSince is { } since && now - since >= FailingAfter)
                problem = new PipelineProblem(Failing: true, $"pipeline: commits have failed for {(now - since).TotalSeconds:F0}s: {_lastError}");
            else if (lag > TimeSpan.Zero && now - _lastCommit >= maxStall && lag >= maxStall)
                problem = new PipelineProblem(Failing: false, $"pipeline: inputs have waited {lag.TotalSeconds:F0}s and nothing committed for {(now - _lastCommit).TotalSeconds:F0}s (Health:MaxStall is {maxStall.TotalSeconds:F0}s)");
            if (problem is not null && !_stallLogged) logger.LogWarning("The decision loop is stuck: {Problem}", problem.Text);
            _stallLogged = problem is not null;
            return problem;
        }
    }
}

/// <summary>A commit that keeps failing breaks the service (<paramref name="Failing"/>); a stall only slows it.</summary>
public sealed record PipelineProblem(bool Failing, string Text);
