using System.Text.Json;
using Remediation.Contracts;

namespace Remediation.Agent.Executing;

/// <summary>
/// What the node should have: its GPUs by PCI address and serial, and its InfiniBand/RoCE adapters. Kept as
/// <c>inventory.json</c> in the state directory: written by configuration management (<see cref="Source"/>
/// "configuration"), or taken by the agent the first time a whole-node check finds every GPU healthy. A GPU that falls
/// off the bus leaves sysfs too, so only this list can say it is missing. <see cref="Ports"/>: the rate each active
/// InfiniBand/RoCE port ran at then ("mlx5_0/1": "400 Gb/sec (4X NDR)"), what link_check holds the port to.
/// </summary>
public sealed record NodeInventory(
    IReadOnlyList<NodeInventory.Gpu> Gpus, IReadOnlyList<string> Hcas, string Source, DateTimeOffset TakenAt,
    IReadOnlyDictionary<string, string>? Ports = null)
{
    public const string FileName = "inventory.json";

    public sealed record Gpu(string Pci, string? Serial, string? Uuid);

    /// <summary>The inventory at <paramref name="path"/>, or null when there is none; a file that does not parse is an error, not an empty node.</summary>
    public static NodeInventory? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var inventory = JsonSerializer.Deserialize<NodeInventory>(File.ReadAllBytes(path), WireJson.Options);
            return inventory is { Gpus: not null, Hcas: not null }
                ? inventory with { Gpus = inventory.Gpus.Select(g => g with { Pci = g.Pci.ToLowerInvariant() }).ToList() }
                : throw new InvalidDataException($"{path} has no gpus or hcas list");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not an inventory: {e.Message}", e);
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(this, WireJson.Options));
        File.Move(temp, path, overwrite: true);
    }
}
