namespace Remediation.Specs.Support;

/// <summary>Paths in the checkout, found by walking up from the test binaries to the folder holding Remediation.sln.</summary>
public static class Repo
{
    public static readonly string Root = FindRoot();

    public static string Runbooks => Path.Combine(Root, "runbooks");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Remediation.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Remediation.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>A temporary copy of the real runbooks directory with text edits applied, removed on dispose.</summary>
public sealed class EditedRunbooks : IDisposable
{
    public EditedRunbooks(params (string File, string From, string To)[] edits)
    {
        Dir = Directory.CreateTempSubdirectory("runbooks-").FullName;
        foreach (var source in Directory.GetFiles(Repo.Runbooks))
            File.Copy(source, Path.Combine(Dir, Path.GetFileName(source)));
        foreach (var (file, from, to) in edits)
        {
            var text = File.ReadAllText(PathOf(file));
            if (!text.Contains(from, StringComparison.Ordinal))
                throw new InvalidOperationException($"{file} no longer contains '{from}': update the test");
            File.WriteAllText(PathOf(file), text.Replace(from, to, StringComparison.Ordinal));
        }
    }

    public string Dir { get; }

    public string PathOf(string file) => Path.Combine(Dir, file);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
