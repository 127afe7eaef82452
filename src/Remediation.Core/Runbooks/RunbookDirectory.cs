namespace Remediation.Core.Runbooks;

public static class RunbookDirectory
{
    /// <summary>
    /// The nearest <c>runbooks</c> folder at or above the running program: `dotnet run` starts in the repository root,
    /// the published service next to its runbooks folder.
    /// </summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "runbooks"))) return Path.Combine(dir.FullName, "runbooks");
        return "runbooks";
    }
}
