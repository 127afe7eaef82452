namespace Remediation.Service.Repair.Rma;

/// <summary>Configuration section <c>Rma</c>: where tickets are opened.</summary>
public sealed class RmaOptions
{
    /// <summary>The ticket system's webhook; JSON is POSTed to it. Unset: opening a ticket fails and says so.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Sent as a bearer token when set.</summary>
    public string? Token { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The bearer secret the ticket system sends to POST /webhooks/rma when a ticket closes. Unset: refused.</summary>
    public string? CallbackToken { get; set; }
}
