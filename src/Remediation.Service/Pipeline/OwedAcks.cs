namespace Remediation.Service.Pipeline;

/// <summary>
/// Acknowledgements the service's consumers owe RabbitMQ and have not written yet, over all their channels. Acks go a
/// run at a time, and a run stops at the oldest delivery still unacknowledged: a repeat held for counting until the next
/// flush holds back every ack owed behind it. The decision loop flushes early when these pile up, so a few held repeats
/// do not turn a drain's runs back into a frame per message.
/// </summary>
public sealed class OwedAcks
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    internal void Add(int delta) => Interlocked.Add(ref _count, delta);
}
