namespace Remediation.Service.Pipeline;

/// <summary>
/// A message the transport holds unacknowledged until the loop says what became of its input: committed (acknowledge
/// it), handed back (the broker delivers it again, to whoever holds its partition then), or rejected (park it).
/// </summary>
public sealed class Delivery
{
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the input's decision is committed; cancelled when handed back; faulted when rejected.</summary>
    public Task Settled => _settled.Task;

    public void Settle() => _settled.TrySetResult();

    public void HandBack() => _settled.TrySetCanceled();

    public void Reject(string reason) => _settled.TrySetException(new RejectedInputException(reason));
}

/// <summary>An input the loop can never use (its decision throws): the transport parks it with this reason.</summary>
public sealed class RejectedInputException(string reason) : Exception(reason);
