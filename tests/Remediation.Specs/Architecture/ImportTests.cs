using System.Reflection;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs.Architecture;

/// <summary>Contracts and the core are pure: no host, bus, store, scheduler or web in them, so they stay quick to test and safe to share.</summary>
public sealed class ImportTests
{
    private static readonly string[] SystemAssemblies = ["System", "netstandard", "mscorlib", "Microsoft.Win32"];

    [Theory]
    [InlineData("src/Remediation.Contracts", new[] { "System", "Remediation.Contracts" })]
    [InlineData("src/Remediation.Core", new[] { "System", "Remediation.Contracts", "Remediation.Core", "Stateless", "YamlDotNet" })]
    public void Source_names_only_allowed_namespaces(string project, string[] allowed)
    {
        var offending = SourceFile.Under(project)
            .SelectMany(f => f.Named.Where(n => !allowed.Any(a => n == a || n.StartsWith(a + ".", StringComparison.Ordinal))).Select(n => $"{f.Path}: {n}"))
            .ToList();

        Assert.True(offending.Count == 0, $"{project} may name only {string.Join(", ", allowed)}; it names:\n{string.Join("\n", offending)}");
    }

    [Fact]
    public void Contracts_assembly_references_only_the_runtime()
    {
        var references = NonRuntime(typeof(Remediation.Contracts.FaultDetected).Assembly);

        Assert.True(references.Count == 0, $"Remediation.Contracts references {string.Join(", ", references)}");
    }

    [Fact]
    public void Core_assembly_references_only_contracts_stateless_and_yamldotnet()
    {
        var references = NonRuntime(typeof(NodeDecider).Assembly).Except(["Remediation.Contracts", "Stateless", "YamlDotNet"]).ToList();

        Assert.True(references.Count == 0, $"Remediation.Core references {string.Join(", ", references)}");
    }

    private static List<string> NonRuntime(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => !SystemAssemblies.Any(s => n == s || n.StartsWith(s + ".", StringComparison.Ordinal)))
            .ToList();
}
