using System.Text.Json;

namespace Remediation.Agent.Detecting.Dcgm;

/// <summary>
/// Reads <c>dcgmi diag -j</c> (<c>dcgmi/Diag.cpp</c>, key names in <c>nvvs/include/NvvsJsonStrings.h</c>). DCGM 4 writes
/// <c>"DCGM Diagnostic"</c> → <c>test_categories[]</c> → <c>tests[]</c> with a <c>test_summary</c> and one result per
/// entity (<c>entity_group</c>, <c>entity_id</c>, <c>status</c>, <c>warnings[]</c> of <c>{warning, error_id, …}</c>);
/// DCGM 3 wrote <c>"DCGM GPU Diagnostic"</c> with <c>gpu_id</c>/<c>gpu_ids</c>, no summary, warnings as objects or
/// plain strings. A run DCGM could not start is <c>runtime_error</c> instead. Status is Pass, Skip, Warn or Fail
/// (upper case in some builds); only Fail fails, as in the text table.
/// </summary>
public static class DcgmDiagJson
{
    private static readonly string[] Roots = ["DCGM Diagnostic", "DCGM GPU Diagnostic"];

    /// <summary>The result, or null when <paramref name="text"/> holds no dcgmi diag JSON document.</summary>
    public static DcgmDiagResult? Parse(string text)
    {
        // Some builds print "Successfully ran diagnostic for group." before the document.
        var start = text.IndexOf('{', StringComparison.Ordinal);
        if (start < 0) return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text[start..]);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            var root = Roots.Select(name => Prop(document.RootElement, name)).FirstOrDefault(r => r.ValueKind == JsonValueKind.Object);
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (Text(root, "runtime_error") is { Length: > 0 } error) return new DcgmDiagResult(false, [], error);
            if (Prop(root, "test_categories").ValueKind != JsonValueKind.Array)
                return new DcgmDiagResult(false, [], "no test_categories in dcgmi's JSON");
            var failures = Items(root, "test_categories").SelectMany(c => Items(c, "tests")).Select(Failure).OfType<string>().ToList();
            return new DcgmDiagResult(true, failures);
        }
    }

    private static string? Failure(JsonElement test)
    {
        var name = Text(test, "name") ?? "?";
        var failed = Items(test, "results").Where(IsFail).ToList();
        var summary = Prop(test, "test_summary");
        if (failed.Count == 0 && !IsFail(summary)) return null;
        // Per-entity warnings sit on the failing results; the summary's own are those of no one entity.
        var details = failed.Count > 0 ? failed.Select(Detail).OfType<string>().ToList() : Warnings(summary);
        return details.Count == 0 ? $"{name}: Fail" : $"{name}: Fail ({string.Join("; ", details)})";
    }

    private static string? Detail(JsonElement result)
    {
        var (who, warnings) = (Who(result), string.Join("; ", Warnings(result)));
        return who is null ? (warnings.Length > 0 ? warnings : null) : $"{who}: {(warnings.Length > 0 ? warnings : "Fail")}";
    }

    private static bool IsFail(JsonElement result) => string.Equals(Text(result, "status"), "Fail", StringComparison.OrdinalIgnoreCase);

    private static string? Who(JsonElement result)
    {
        if (Prop(result, "entity_id") is { ValueKind: JsonValueKind.Number } id)
            return $"{Text(result, "entity_group") ?? "entity"} {id.GetRawText()}";
        return (Text(result, "gpu_id") ?? Text(result, "gpu_ids")) is { Length: > 0 } gpu ? $"GPU {gpu}" : null;
    }

    private static List<string> Warnings(JsonElement result) =>
        Items(result, "warnings").Select(w => w.ValueKind == JsonValueKind.String ? w.GetString() : Text(w, "warning"))
            .Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w!.Trim()).ToList();

    private static JsonElement Prop(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        Prop(element, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    private static string? Text(JsonElement element, string name) =>
        Prop(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
