using System.Text.Json;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Remediation.Tests.Observability;

/// <summary>deploy/observability as Grafana and Prometheus read it.</summary>
public static class MonitoringFiles
{
    public static string Dashboard => Path.Combine(Repo.Root, "deploy", "observability", "grafana-dashboard.json");
    public static string Rules => Path.Combine(Repo.Root, "deploy", "observability", "prometheus-rules.yaml");

    /// <summary>Every PromQL expression in the dashboard, wherever a panel (or a panel in a row) keeps it.</summary>
    public static List<string> DashboardExpressions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var found = new List<string>();
        Collect(document.RootElement, found);
        return found;
    }

    private static void Collect(JsonElement element, List<string> found)
    {
        if (element.ValueKind == JsonValueKind.Object)
            foreach (var property in element.EnumerateObject())
                if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String) found.Add(property.Value.GetString()!);
                else Collect(property.Value, found);
        else if (element.ValueKind == JsonValueKind.Array)
            foreach (var item in element.EnumerateArray()) Collect(item, found);
    }

    /// <summary>Strict: a misspelt key (<c>anotations</c>) fails here instead of being dropped by Prometheus later.</summary>
    public static RuleFile ReadRules() =>
        new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
            .Deserialize<RuleFile>(File.ReadAllText(Rules));
}

public sealed class RuleFile
{
    public List<RuleGroup> Groups { get; set; } = [];
}

public sealed class RuleGroup
{
    public string Name { get; set; } = "";
    public List<AlertRule> Rules { get; set; } = [];
}

public sealed class AlertRule
{
    public string? Alert { get; set; }
    public string? Expr { get; set; }
    public string? For { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    public Dictionary<string, string> Annotations { get; set; } = [];
}
