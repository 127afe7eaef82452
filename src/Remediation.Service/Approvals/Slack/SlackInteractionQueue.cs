using System.Threading.Channels;

namespace Remediation.Service.Approvals.Slack;

/// <summary>
/// Hands verified clicks from the endpoint to <see cref="SlackInteractionWorker"/>: Slack wants an answer within
/// three seconds, and a decision waits for a commit.
/// </summary>
public sealed class SlackInteractionQueue
{
    // Far more than people click; a full queue means the desk is stuck, and Slack shows the clicker an error.
    private readonly Channel<SlackInteraction> _channel = Channel.CreateBounded<SlackInteraction>(
        new BoundedChannelOptions(1_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public bool TryEnqueue(SlackInteraction interaction) => _channel.Writer.TryWrite(interaction);

    public IAsyncEnumerable<SlackInteraction> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);
}
