using System.Collections.Frozen;
using System.Reflection;

namespace Remediation.Service.Web;

/// <summary>
/// The page's files, embedded in the service assembly so that <c>dotnet run</c>, a test host and the published image
/// all serve the same bytes with nothing to copy or find on disk.
/// </summary>
internal static class WebAssets
{
    private const string Prefix = "ui/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, (byte[] Bytes, string ContentType)> Files = Load();

    public static bool TryGet(string name, out byte[] bytes, out string contentType)
    {
        var found = Files.TryGetValue(name, out var file);
        (bytes, contentType) = found ? file : ([], "");
        return found;
    }

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(WebAssets).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[Prefix.Length..], n => (Read(assembly, n), ContentTypes[Path.GetExtension(n)]));
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
