namespace Remediation.Specs.Architecture;

/// <summary>Which folder names which, from the namespaces files import or spell out, and the types they use from enclosing namespaces.</summary>
public sealed class NamespaceGraph
{
    private readonly Dictionary<string, SortedSet<string>> _edges = [];

    private NamespaceGraph(IReadOnlyList<SourceFile> files)
    {
        // A namespace with no file of its own (Remediation.Service.Repair above .Slurm) can still be imported.
        var namespaces = files.Where(f => f.Namespace.Length > 0)
            .SelectMany(f => Enumerable.Range(2, f.Namespace.Split('.').Length - 1).Select(n => string.Join('.', f.Namespace.Split('.')[..n])))
            .ToHashSet();
        var declaredIn = files.SelectMany(f => f.Declared.Select(t => (Type: t, f.Namespace))).ToLookup(d => d.Type, d => d.Namespace);
        foreach (var file in files.Where(f => f.Namespace.Length > 0))
        {
            var from = Folder(file.Namespace);
            // A file sees the types of every namespace enclosing its own without a using.
            var enclosing = Enumerable.Range(2, Math.Max(0, file.Namespace.Split('.').Length - 2)).Select(n => string.Join('.', file.Namespace.Split('.')[..n])).ToHashSet();
            var named = file.Named.Select(n => Longest(n, namespaces)).OfType<string>()
                .Concat(file.Words.SelectMany(w => declaredIn[w]).Where(enclosing.Contains));
            foreach (var to in named.Select(Folder).Where(to => to != from))
                (_edges.TryGetValue(from, out var set) ? set : _edges[from] = []).Add(to);
        }
    }

    public static NamespaceGraph Of(IReadOnlyList<SourceFile> files) => new(files);

    /// <summary>Every dependency that lies on a loop, as "Service.Bus -> Service.Pipeline", sorted.</summary>
    public IReadOnlyList<string> EdgesInLoops() =>
        _edges.SelectMany(e => e.Value.Where(to => Reaches(to, e.Key)).Select(to => $"{Short(e.Key)} -> {Short(to)}")).Order(StringComparer.Ordinal).ToList();

    private bool Reaches(string from, string to)
    {
        var seen = new HashSet<string> { from };
        var next = new Stack<string>([from]);
        while (next.TryPop(out var at))
        {
            if (at == to) return true;
            foreach (var n in _edges.GetValueOrDefault(at) ?? []) if (seen.Add(n)) next.Push(n);
        }
        return false;
    }

    /// <summary>The project and one more name: Remediation.Service.Bus.Topology is the folder Remediation.Service.Bus.</summary>
    private static string Folder(string ns) => string.Join('.', ns.Split('.').Take(3));

    private static string Short(string folder) => folder.StartsWith("Remediation.", StringComparison.Ordinal) ? folder["Remediation.".Length..] : folder;

    /// <summary>The namespace a name starts with (a type may follow it), or null when it names none of the code's.</summary>
    private static string? Longest(string name, HashSet<string> namespaces)
    {
        var parts = name.Split('.');
        for (var n = parts.Length; n >= 2; n--)
            if (namespaces.Contains(string.Join('.', parts[..n]))) return string.Join('.', parts[..n]);
        return null;
    }
}
