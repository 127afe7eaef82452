namespace Remediation.Agent.Running;

/// <summary>
/// Keeps the agent's own detectors off the GPUs while a step needs them alone: nvidia-smi refuses a reset while another
/// client holds the GPU, and a polling nvidia-smi or dcgmi keeps the driver's modules from unloading. A poll round runs
/// only when no step holds the pause; a step waits for the round in progress to finish.
/// </summary>
public sealed class DetectorPause
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Runs one round of polling, or nothing (false) while a step holds the GPUs.</summary>
    public async Task<bool> TryPollAsync(Func<Task> poll)
    {
        if (!await _gate.WaitAsync(0)) return false;
        try
        {
            await poll();
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Holds the detectors off until disposed; null when the round in progress did not end within <paramref name="wait"/>.</summary>
    public async Task<IDisposable?> HoldAsync(TimeSpan wait, CancellationToken ct) =>
        await _gate.WaitAsync(wait, ct) ? new Held(_gate) : null;

    public bool IsHeld => _gate.CurrentCount == 0;

    private sealed class Held(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
