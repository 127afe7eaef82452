using Remediation.Contracts;

namespace Remediation.Core.Storms;

/// <summary>Where nodes sit: rack and leaf switch, from the fleet inventory (<c>Storm:TopologyFile</c>).</summary>
public sealed class Topology
{
    private readonly Dictionary<string, (string? Rack, string? Switch)> _nodes;

    private Topology(Dictionary<string, (string?, string?)> nodes) => _nodes = nodes;

    public static readonly Topology Empty = new([]);

    public int Count => _nodes.Count;

    public (string? Rack, string? Switch) Of(string node) => _nodes.GetValueOrDefault(node);

    public bool Contains(string node) => _nodes.ContainsKey(node);

    /// <summary>The nodes in a rack and/or under a switch (either null for any), for the fleet page's filters.</summary>
    public IReadOnlyList<string> NodesIn(string? rack, string? @switch) =>
        _nodes.Where(n => (rack is null || n.Value.Rack == rack) && (@switch is null || n.Value.Switch == @switch)).Select(n => n.Key).ToList();

    /// <summary>Reads the CSV; a bad line stops start-up with the file and line, like a bad runbook.</summary>
    public static Topology Load(string? path)
    {
        if (path is null) return Empty;
        if (!File.Exists(path)) throw new TopologyFileException(path, 0, "the topology file does not exist");
        var nodes = new Dictionary<string, (string?, string?)>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#') || (i == 0 && line.StartsWith("node,", StringComparison.OrdinalIgnoreCase))) continue;
            var cells = line.Split(',').Select(c => c.Trim()).ToArray();
            if (cells.Length != 3) throw new TopologyFileException(path, i + 1, $"expected node,rack,switch, not '{line}'");
            if (!NodeNames.IsValid(cells[0])) throw new TopologyFileException(path, i + 1, $"'{cells[0]}' is not a node name");
            if (!nodes.TryAdd(cells[0], (Blank(cells[1]), Blank(cells[2]))))
                throw new TopologyFileException(path, i + 1, $"node '{cells[0]}' is listed twice");
        }
        return new Topology(nodes);
    }

    private static string? Blank(string cell) => cell.Length == 0 ? null : cell;
}

public sealed class TopologyFileException(string file, int line, string reason) : Exception($"{file}:{line}: {reason}");
