using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Remediation.Core.Runbooks;

/// <summary>Typed reads over a YAML node tree that fail with the file and line of the offending node.</summary>
internal sealed partial class Reader(string file)
{
    [GeneratedRegex(@"^(\d+)(ms|s|m|h)$")]
    private static partial Regex DurationPattern();

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void Fail(YamlNode node, string reason) => throw new RunbookFileException(file, node.Start.Line, reason);

    public YamlMappingNode Mapping(YamlNode node) =>
        node as YamlMappingNode ?? throw new RunbookFileException(file, node.Start.Line, "expected a mapping");

    public string Scalar(YamlNode node) =>
        node is YamlScalarNode { Value: { } value } ? value : throw new RunbookFileException(file, node.Start.Line, "expected a single value");

    public void OnlyKeys(YamlMappingNode map, params string[] allowed)
    {
        foreach (var key in map.Children.Keys)
            if (!allowed.Contains(Scalar(key)))
                Fail(key, $"unknown key '{Scalar(key)}' (allowed: {string.Join(", ", allowed)})");
    }

    public string RequiredString(YamlMappingNode map, string key) =>
        OptionalString(map, key) ?? throw new RunbookFileException(file, map.Start.Line, $"'{key}' is required");

    public string? OptionalString(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? Scalar(node) : null;

    public bool OptionalBool(YamlMappingNode map, string key)
    {
        var text = OptionalString(map, key);
        if (text is null) return false;
        if (!bool.TryParse(text, out var value)) Fail(map[key], $"'{key}' must be true or false, not '{text}'");
        return value;
    }

    public IEnumerable<YamlNode> Sequence(YamlMappingNode map, string key, bool required)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            return required ? throw new RunbookFileException(file, map.Start.Line, $"'{key}' is required") : [];
        return node as YamlSequenceNode ?? throw new RunbookFileException(file, node.Start.Line, $"'{key}' must be a list");
    }

    public IEnumerable<string> Strings(YamlMappingNode map, string key) => Sequence(map, key, required: false).Select(Scalar);

    public int Int(YamlMappingNode map, string key, int min, int max)
    {
        var text = RequiredString(map, key);
        if (!int.TryParse(text, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            Fail(map[key], $"'{key}' must be a whole number from {min} to {max}, not '{text}'");
        return value;
    }

    public TimeSpan Duration(YamlMappingNode map, string key)
    {
        var text = RequiredString(map, key);
        var match = DurationPattern().Match(text);
        if (!match.Success) Fail(map[key], $"'{key}' must be a duration such as 90s, 5m or 1h, not '{text}'");
        var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var span = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            _ => TimeSpan.FromHours(n),
        };
        if (span <= TimeSpan.Zero) Fail(map[key], $"'{key}' must be longer than zero");
        return span;
    }
}
