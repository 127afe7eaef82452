namespace Remediation.Specs.Support;

/// <summary>
/// Real kernel log lines, from the agent's fixtures (each there under the source it was copied from), so a spec
/// names its sample instead of inventing one.
/// </summary>
public static class RealLines
{
    private static readonly string[] All = Directory
        .GetFiles(Path.Combine(Repo.Root, "tests", "Remediation.Agent.Tests", "Fixtures"), "*.log", SearchOption.AllDirectories)
        .SelectMany(File.ReadLines)
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .ToArray();

    /// <summary>The one real line holding <paramref name="fragment"/>.</summary>
    public static string Line(string fragment) => All.Single(line => line.Contains(fragment, StringComparison.Ordinal));
}
