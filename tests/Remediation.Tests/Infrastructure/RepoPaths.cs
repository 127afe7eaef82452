namespace Remediation.Tests.Infrastructure;

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Runbooks => Path.Combine(Root, "runbooks");

    /// <summary>A copy of the real runbooks with some text replaced, for tests that need shorter windows.</summary>
    public static string RunbooksWith(params (string File, string From, string To)[] edits)
    {
        var dir = Directory.CreateTempSubdirectory("runbooks-").FullName;
        foreach (var file in Directory.GetFiles(Runbooks)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        foreach (var (file, from, to) in edits)
        {
            var path = Path.Combine(dir, file);
            var text = File.ReadAllText(path);
            if (!text.Contains(from)) throw new InvalidOperationException($"{file} does not contain '{from}'");
            File.WriteAllText(path, text.Replace(from, to));
        }
        return dir;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Remediation.sln"))) return dir.FullName;
        throw new InvalidOperationException("Remediation.sln not found above the test binaries");
    }
}
