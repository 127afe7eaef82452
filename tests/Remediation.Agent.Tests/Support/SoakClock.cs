namespace Remediation.Agent.Tests.Support;

/// <summary>
/// A fixed clock whose timers of exactly <paramref name="soak"/> fire at once, after <paramref name="during"/> has run:
/// what happens to the host while a check waits out its soak, without the wait. Other timers (the executor's watchdog)
/// never fire.
/// </summary>
public sealed class SoakClock(DateTimeOffset now, TimeSpan soak, Action during) : TimeProvider
{
    public int Soaks { get; private set; }

    public override DateTimeOffset GetUtcNow() => now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == soak)
        {
            Soaks++;
            during();
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }
        return new Idle();
    }

    private sealed class Idle : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
