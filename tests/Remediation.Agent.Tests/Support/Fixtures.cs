namespace Remediation.Agent.Tests.Support;

public sealed record FixtureLine(string File, int Number, string Text, ExpectedFault? Expected);

/// <summary>The real kernel log lines under Fixtures/, each with the fault its "# expect:" comment names.</summary>
public static class Fixtures
{
    private const string ExpectPrefix = "# expect:";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static IReadOnlyList<string> FileNames =>
        Directory.GetFiles(Folder, "*.log").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    public static IEnumerable<FixtureLine> All => FileNames.SelectMany(Read);

    public static IReadOnlyList<FixtureLine> Read(string file)
    {
        var lines = new List<FixtureLine>();
        string? expect = null;
        var number = 0;
        foreach (var text in File.ReadLines(Path.Combine(Folder, file)))
        {
            number++;
            if (text.StartsWith(ExpectPrefix, StringComparison.Ordinal))
            {
                expect = text[ExpectPrefix.Length..].Trim();
                continue;
            }
            if (text.StartsWith('#') || text.Length == 0) continue;
            if (expect is null) throw new InvalidDataException($"{file}:{number} has no '# expect:' comment");
            lines.Add(new FixtureLine(file, number, text, ExpectedFault.Parse(expect)));
            expect = null;
        }
        return lines;
    }

    /// <summary>The one real line holding <paramref name="fragment"/>, so a test names its sample without copying it.</summary>
    public static string Line(string fragment) => All.Single(line => line.Text.Contains(fragment, StringComparison.Ordinal)).Text;
}
