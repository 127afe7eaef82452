using Remediation.Agent.Devices;

namespace Remediation.Agent.Tests.Support;

/// <summary>A private copy of a fixture host tree that a test may change file by file.</summary>
public sealed class HostTree : IDisposable
{
    private HostTree(string path) => Path = path;

    public string Path { get; }
    public HostRoot Root => new(Path);

    public static HostTree Copy(string name = "l4-node")
    {
        var source = System.IO.Path.Combine(Fixtures.Folder, "hosts", name);
        var target = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"agent-host-{Guid.NewGuid():N}");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return new HostTree(target);
    }

    public void Write(string absolute, string text)
    {
        var path = Root.Resolve(absolute);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text + "\n");
    }

    public void Delete(string absolute) => Directory.Delete(Root.Resolve(absolute), recursive: true);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
