namespace Remediation.Agent.Devices;

/// <summary>
/// The file system the agent looks at: <c>/</c> on a node, a fixture tree in tests, <c>/host</c> in a container.
/// Every sysfs or /dev path the agent reads goes through here.
/// </summary>
public sealed class HostRoot(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string Resolve(string absolute) => System.IO.Path.Combine(Path, absolute.TrimStart('/'));

    public string? ReadText(string absolute)
    {
        try
        {
            return File.ReadAllText(Resolve(absolute)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public long? ReadLong(string absolute) => long.TryParse(ReadText(absolute), out var value) ? value : null;

    public bool Exists(string absolute) => Directory.Exists(Resolve(absolute)) || File.Exists(Resolve(absolute));

    /// <summary>Names of the entries in a directory, sorted; empty when it does not exist.</summary>
    public IReadOnlyList<string> List(string absolute)
    {
        var dir = Resolve(absolute);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFileSystemEntries(dir).Select(System.IO.Path.GetFileName).OfType<string>()
            .Order(StringComparer.Ordinal).ToList();
    }
}
