using System.Text.RegularExpressions;

namespace Remediation.Specs.Architecture;

/// <summary>
/// The C# files of the shipped projects, read as text: what a file's namespace is, which namespaces it names and which
/// types it declares. Text is enough here and sees what reflection cannot (a type used only inside a method body).
/// </summary>
public sealed partial record SourceFile(string Path, string Namespace, IReadOnlyList<string> Named, IReadOnlyList<string> Declared, IReadOnlySet<string> Words)
{
    public static IReadOnlyList<SourceFile> Under(string folder) =>
        Directory.EnumerateFiles(System.IO.Path.Combine(Repo.Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}")
                && !p.Contains($"{System.IO.Path.DirectorySeparatorChar}bin{System.IO.Path.DirectorySeparatorChar}"))
            .Select(Read)
            .ToList();

    private static SourceFile Read(string path)
    {
        // Comments and string literals name nothing the compiler resolves.
        var code = StringLiteral().Replace(LineComment().Replace(File.ReadAllText(path), ""), "\"\"");
        var ns = FileNamespace().Match(code) is { Success: true } m ? m.Groups[1].Value : "";
        var named = Using().Matches(code).Select(u => u.Groups[1].Value)
            .Concat(Qualified().Matches(code).Select(q => q.Value))
            .Distinct()
            .ToList();
        var declared = Declaration().Matches(code).Select(d => d.Groups[1].Value).ToList();
        var words = Word().Matches(code).Select(w => w.Value).ToHashSet();
        return new SourceFile(System.IO.Path.GetRelativePath(Repo.Root, path), ns, named, declared, words);
    }

    [GeneratedRegex(@"//.*")]
    private static partial Regex LineComment();

    [GeneratedRegex("\"(?:\\\\.|[^\"\\\\\\n])*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"^namespace ([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^\s*(?:global )?using (?:static )?(?:\w+ = )?([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Using();

    [GeneratedRegex(@"\b(?:Remediation|Marten|Npgsql|MassTransit|RabbitMQ|k8s|Microsoft\.AspNetCore|Microsoft\.Extensions|Prometheus|OpenTelemetry)(?:\.\w+)*")]
    private static partial Regex Qualified();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+([A-Z]\w*)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b[A-Z]\w*")]
    private static partial Regex Word();
}
