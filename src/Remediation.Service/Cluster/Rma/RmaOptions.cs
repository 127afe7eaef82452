namespace Remediation.Service.Cluster.Rma;

/// <summary>Configuration section <c>Rma</c>: where tickets are opened.</summary>
public sealed class RmaOptions
{
    /// <summary>The ticket system's webhook; JSON is POSTed to it. Unset: opening a ticket fails and says so.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Sent as a bearer token when set.</summary>
    public string? Token { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
