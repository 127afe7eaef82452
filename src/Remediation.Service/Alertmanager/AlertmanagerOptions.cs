namespace Remediation.Service.Alertmanager;

/// <summary>Configuration section <c>Alertmanager</c>.</summary>
public sealed class AlertmanagerOptions
{
    public static readonly string[] DefaultNodeLabels = ["node", "Hostname", "instance"];
    public static readonly string[] DefaultXidKeys = ["xid", "err_code", "xid_code", "value"];

    /// <summary>The bearer token Alertmanager sends (http_config.authorization.credentials). Unset: every request is refused.</summary>
    public string? Token { get; set; }

    /// <summary>Labels that name the node, first present wins; a host:port value loses its port.</summary>
    public string[]? NodeLabels { get; set; }

    /// <summary>Labels, then annotations, that carry the Xid number of an Xid alert.</summary>
    public string[]? XidKeys { get; set; }

    /// <summary>alertname → fault kind, before the built-in guesses. A kind of "ignore" drops the alert.</summary>
    public Dictionary<string, string> Mappings { get; set; } = [];

    /// <summary>Guess the kind from dcgm-exporter style names (…Xid…, …ECC…) when no mapping names the alert.</summary>
    public bool DefaultMappings { get; set; } = true;
}
