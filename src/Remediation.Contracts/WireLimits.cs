namespace Remediation.Contracts;

/// <summary>
/// The size caps of the wire contract. No real fault needs more, and each field ends up in a jsonb row, a Slack message
/// and a scheduler's reason, so anything larger is refused at the door rather than half-stored later.
/// </summary>
public static class WireLimits
{
    /// <summary>Largest body the service takes; the broker's own <c>max_message_size</c> is set a little above it.</summary>
    public const int MaxBodyBytes = 512 * 1024;

    public const int MaxIdLength = 256;
    public const int MaxFieldLength = 256;
    public const int MaxMessageLength = 8 * 1024;
    public const int MaxOutputLength = 64 * 1024;
}
