using System.Globalization;
using Remediation.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Remediation.Core.Runbooks;

/// <summary>
/// Reads runbooks/*.yaml into <see cref="Runbook"/>s. Walks the YAML node tree rather than binding to classes so
/// every complaint can point at the line that caused it.
/// </summary>
public static class RunbookLoader
{
    /// <summary>Disruptive by nature: these wait for an approval unless a runbook says otherwise.</summary>
    private static readonly IReadOnlySet<string> RiskyByDefault = new HashSet<string> { StepActions.Reboot, StepActions.Cordon, StepActions.OpenRma };

    public static RunbookSet LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new RunbookFileException(directory, 0, "runbook directory does not exist");
        var catalogPath = Path.Combine(directory, XidCatalog.FileName);
        if (!File.Exists(catalogPath))
            throw new RunbookFileException(catalogPath, 0, "NVIDIA Xid catalog is missing");
        var catalog = XidCatalog.Load(catalogPath);
        var nvlinkPath = Path.Combine(directory, NvLinkDecodeTable.FileName);
        if (!File.Exists(nvlinkPath))
            throw new RunbookFileException(nvlinkPath, 0, "NVIDIA's NVLink5 (Xid 144-150) decode table is missing");
        var nvlink = NvLinkDecodeTable.Load(nvlinkPath);
        var files = Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new RunbookFileException(directory, 0, "no *.yaml runbooks found");
        var loaded = files.Select(f => LoadFile(f, catalog)).ToList();
        return RunbookSet.Create(loaded, catalog, nvlink);
    }

    internal static LoadedRunbook LoadFile(string path, XidCatalog catalog)
    {
        var reader = new Reader(path);
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            using var text = File.OpenText(path);
            stream.Load(text);
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
                ?? throw new RunbookFileException(path, 1, "a runbook must be a YAML mapping");
        }
        catch (YamlException e)
        {
            throw InvalidYaml(path, (int)e.Start.Line, e.InnerException?.Message ?? e.Message);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this for some unterminated flow collections, without a position.
            throw InvalidYaml(path, 0, e.Message);
        }

        reader.OnlyKeys(root, "name", "description", "triggers", "steps", "verify", "onFailure", "shadow", "quarantine", "evidence");
        var name = reader.RequiredString(root, "name");
        var expected = Path.GetFileNameWithoutExtension(path);
        if (name != expected) reader.Fail(root["name"], $"name '{name}' must match the file name '{expected}'");
        var triggers = reader.Sequence(root, "triggers", required: false).Select(t => ReadTrigger(reader, t, catalog)).ToList();
        var stepNodes = reader.Sequence(root, "steps", required: true).ToList();
        var steps = stepNodes.Select(s => ReadStep(reader, s)).ToList();
        if (steps.Count == 0) reader.Fail(root["steps"], "a runbook needs at least one step");
        // Command ids are built from step names and agents dedupe on them: a second step of one name would never run.
        for (var i = 1; i < steps.Count; i++)
            if (steps.Take(i).Any(earlier => earlier.Name == steps[i].Name))
                reader.Fail(((YamlMappingNode)stepNodes[i])["name"], $"step name '{steps[i].Name}' is used twice in this runbook");
        var verify = root.Children.TryGetValue(new YamlScalarNode("verify"), out var v) ? ReadStep(reader, v) : null;
        if (verify is not null && steps.Any(s => s.Name == verify.Name))
            reader.Fail(((YamlMappingNode)v!)["name"], $"step name '{verify.Name}' is used twice in this runbook");
        var onFailure = reader.OptionalString(root, "onFailure");
        var runbook = new Runbook(name, reader.OptionalString(root, "description") ?? "", path, triggers, steps, verify, onFailure,
            reader.OptionalBool(root, "shadow"), ReadQuarantine(reader, root), ReadEvidence(reader, root));
        return new LoadedRunbook(runbook, root.Children.TryGetValue(new YamlScalarNode("onFailure"), out var of) ? of.Start.Line : 0);
    }

    private static RunbookFileException InvalidYaml(string path, int reportedLine, string message) =>
        YamlLineFinder.Find(File.ReadAllText(path)) is var (line, reason)
            ? new RunbookFileException(path, line, $"invalid YAML: {reason}")
            : new RunbookFileException(path, reportedLine, $"invalid YAML: {message}");

    private static Quarantine? ReadQuarantine(Reader reader, YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("quarantine"), out var node)) return null;
        var map = reader.Mapping(node);
        reader.OnlyKeys(map, "timeout", "kinds");
        if (!map.Children.ContainsKey(new YamlScalarNode("kinds"))) return new Quarantine(reader.Duration(map, "timeout"));
        var kinds = reader.Strings(map, "kinds").ToHashSet();
        foreach (var kind in kinds.Where(k => !FaultKinds.All.Contains(k)))
            reader.Fail(map["kinds"], $"unknown fault kind '{kind}' (known: {string.Join(", ", FaultKinds.All.Order())})");
        return new Quarantine(reader.Duration(map, "timeout")) { Kinds = kinds };
    }

    private static Evidence? ReadEvidence(Reader reader, YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("evidence"), out var node)) return null;
        var map = reader.Mapping(node);
        reader.OnlyKeys(map, "timeout");
        return new Evidence(reader.Duration(map, "timeout"));
    }

    private static RunbookTrigger ReadTrigger(Reader reader, YamlNode node, XidCatalog catalog)
    {
        var map = reader.Mapping(node);
        reader.OnlyKeys(map, "kinds", "xids", "xidBuckets", "sxids", "fatal", "afterFailed", "threshold");
        var kinds = reader.Strings(map, "kinds").ToHashSet();
        foreach (var kind in kinds.Where(k => !FaultKinds.All.Contains(k)))
            reader.Fail(map["kinds"], $"unknown fault kind '{kind}' (known: {string.Join(", ", FaultKinds.All.Order())})");
        var xids = new HashSet<int>();
        foreach (var text in reader.Strings(map, "xids"))
        {
            if (!int.TryParse(text, CultureInfo.InvariantCulture, out var xid) || catalog[xid] is null)
                reader.Fail(map["xids"], $"'{text}' is not an Xid in NVIDIA's catalog");
            xids.Add(xid);
        }
        var buckets = reader.Strings(map, "xidBuckets").ToHashSet();
        foreach (var bucket in buckets)
        {
            if (!catalog.HasBucket(bucket)) reader.Fail(map["xidBuckets"], $"'{bucket}' is not a resolution bucket in NVIDIA's catalog");
            xids.UnionWith(catalog.XidsInBucket(bucket));
        }
        if (xids.Count > 0) kinds.Add(FaultKinds.Xid);
        if (kinds.Count == 0) reader.Fail(node, "a trigger needs kinds, xids or xidBuckets");
        var afterFailed = reader.OptionalString(map, "afterFailed");
        if (afterFailed is not null && !StepActions.Known.Contains(afterFailed))
            reader.Fail(map["afterFailed"], $"unknown action '{afterFailed}'");
        Threshold? threshold = null;
        if (map.Children.TryGetValue(new YamlScalarNode("threshold"), out var t))
        {
            var tm = reader.Mapping(t);
            reader.OnlyKeys(tm, "count", "window", "burst");
            threshold = new Threshold(reader.Int(tm, "count", 1, 1000), reader.Duration(tm, "window"),
                tm.Children.ContainsKey(new YamlScalarNode("burst")) ? reader.Duration(tm, "burst") : null);
        }
        var sxids = SxidFilter(reader, map, kinds);
        // An Xid trigger lists Xids; other kinds match on kind alone.
        var kindOnly = kinds.Where(k => k != FaultKinds.Xid || xids.Count == 0).ToHashSet();
        return new RunbookTrigger(kindOnly, xids, afterFailed, threshold)
        {
            XidBuckets = buckets,
            Sxids = sxids,
            Fatal = map.Children.ContainsKey(new YamlScalarNode("fatal")) ? reader.OptionalBool(map, "fatal") : null,
        };
    }

    /// <summary>SXid numbers are the NVSwitch driver's own namespace: they only narrow a trigger that names kind sxid.</summary>
    private static HashSet<int> SxidFilter(Reader reader, YamlMappingNode map, HashSet<string> kinds)
    {
        var sxids = new HashSet<int>();
        foreach (var text in reader.Strings(map, "sxids"))
        {
            if (!int.TryParse(text, CultureInfo.InvariantCulture, out var sxid) || sxid < 0)
                reader.Fail(map["sxids"], $"'{text}' is not an SXid number");
            sxids.Add(sxid);
        }
        if ((sxids.Count > 0 || map.Children.ContainsKey(new YamlScalarNode("fatal"))) && !kinds.SetEquals([FaultKinds.Sxid]))
            reader.Fail(map, "sxids and fatal narrow a trigger of kinds: [sxid] only");
        return sxids;
    }

    private static RunbookStep ReadStep(Reader reader, YamlNode node)
    {
        var map = reader.Mapping(node);
        reader.OnlyKeys(map, "name", "action", "args", "timeout", "retries", "risk");
        var action = reader.RequiredString(map, "action");
        if (!StepActions.Known.Contains(action))
            reader.Fail(map["action"], $"unknown action '{action}' (known: {string.Join(", ", StepActions.Known.Order())})");
        var args = new Dictionary<string, string>();
        if (map.Children.TryGetValue(new YamlScalarNode("args"), out var a))
            foreach (var (key, value) in reader.Mapping(a).Children)
                args[reader.Scalar(key)] = reader.Scalar(value);
        var risk = reader.OptionalString(map, "risk");
        if (risk is not (null or "low" or "high")) reader.Fail(map["risk"], $"risk must be 'low' or 'high', not '{risk}'");
        var highRisk = risk == "high" || (risk is null && RiskyByDefault.Contains(action));
        var retries = map.Children.ContainsKey(new YamlScalarNode("retries")) ? reader.Int(map, "retries", 0, 10) : 0;
        return new RunbookStep(reader.OptionalString(map, "name") ?? action, action, args, reader.Duration(map, "timeout"), retries, highRisk);
    }
}

internal sealed record LoadedRunbook(Runbook Runbook, long OnFailureLine);
