using Remediation.Contracts;
using Remediation.Service.Hosting;

namespace Remediation.Service.Ingest;

/// <summary>
/// Who may speak for a node. The body of a message names a node; only the broker proves who sent it, through the AMQP
/// <c>user_id</c> it checks against the connection's user. A node agent's broker user is its node id, so it may report
/// only for itself; the trusted publishers (the service's own user, which the Alertmanager bridge and the simulators
/// use, and <c>Ingest:TrustedPublishers</c>) may report for any node.
/// </summary>
public sealed class SenderCheck
{
    private readonly HashSet<string> _trusted;

    public SenderCheck(RemediationOptions options, IConfiguration config)
    {
        var section = config.GetSection("Ingest:TrustedPublishers");
        // A list in appsettings, or one comma-separated value from an environment variable.
        var named = section.Value?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? section.Get<string[]>() ?? [];
        _trusted = [BrokerUser.Of(options.RabbitMq), .. named];
    }

    /// <summary>Why <paramref name="userId"/> may not publish for <paramref name="nodeId"/>, or null when it may.</summary>
    public string? Refuse(string? userId, string nodeId)
    {
        if (string.IsNullOrEmpty(userId)) return $"sender unproven: no AMQP user_id on a message for node '{nodeId}'";
        if (userId == nodeId || _trusted.Contains(userId)) return null;
        return $"sender '{userId}' may not publish for node '{nodeId}' (only the node itself or a trusted publisher may)";
    }
}
