namespace Remediation.Service.Approvals.Slack;

/// <summary>The <c>Slack:*</c> settings. Without a signing secret every interaction is refused; without a bot token and channel nothing is posted.</summary>
public sealed record SlackOptions
{
    public const string DefaultApiBaseUrl = "https://slack.com/api/";

    public string? SigningSecret { get; init; }
    public string? BotToken { get; init; }
    public string? Channel { get; init; }
    public Uri ApiBaseUrl { get; init; } = new(DefaultApiBaseUrl);
    public IReadOnlySet<string> ApproverIds { get; init; } = new HashSet<string>();

    /// <summary>Where operators open the service's page (<c>Web:BaseUrl</c>), for links from approval messages.</summary>
    public Uri? PageBaseUrl { get; init; }

    public bool CanPost => !string.IsNullOrWhiteSpace(BotToken) && !string.IsNullOrWhiteSpace(Channel);

    public bool MayDecide(string userId) => ApproverIds.Contains(userId);

    public static SlackOptions From(IConfiguration config)
    {
        var slack = config.GetSection("Slack");
        var baseUrl = slack["ApiBaseUrl"] is { Length: > 0 } url ? url : DefaultApiBaseUrl;
        return new SlackOptions
        {
            SigningSecret = Blank(slack["SigningSecret"]),
            BotToken = Blank(slack["BotToken"]),
            Channel = Blank(slack["Channel"]),
            // Without the trailing slash "chat.postMessage" would replace the last path segment instead of adding one.
            ApiBaseUrl = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"),
            ApproverIds = ApproversIn(slack.GetSection("ApproverIds")),
            PageBaseUrl = Uri.TryCreate(config["Web:BaseUrl"], UriKind.Absolute, out var page) ? page : null,
        };
    }

    // Environment variables give one comma-separated string, appsettings.json an array: accept both.
    private static HashSet<string> ApproversIn(IConfigurationSection section) =>
        section.GetChildren().Select(c => c.Value).Append(section.Value)
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
