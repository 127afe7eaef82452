namespace Remediation.Specs.Architecture;

/// <summary>
/// No two folders of the shipped code depend on each other, directly or round a loop: a folder should be readable,
/// and movable, without the ones that use it. Folders are namespaces cut after the project and one more name
/// (<c>Remediation.Service.Bus</c>, <c>Remediation.Core.Nodes</c>).
/// </summary>
public sealed class NamespaceCycleTests
{
    /// <summary>
    /// The loops left of those there were when this test was written, all in the message path (Bus, Partitions,
    /// Pipeline) and the cluster actuator it feeds (Repair). Remove a line when its dependency goes; never add one.
    /// </summary>
    private static readonly string[] KnownLoops =
    [
        "Service.Bus -> Service.Partitions",
        "Service.Bus -> Service.Pipeline",
        "Service.Partitions -> Service.Bus",
        "Service.Partitions -> Service.Pipeline",
        "Service.Pipeline -> Service.Bus",
        "Service.Pipeline -> Service.Partitions",
        "Service.Pipeline -> Service.Repair",
        "Service.Repair -> Service.Bus",
        "Service.Repair -> Service.Pipeline",
    ];

    /// <summary>The composition root wires every feature together; what it names are not dependencies of a feature.</summary>
    private static readonly string[] CompositionRoot = ["ServiceRegistration.cs", "ServiceHost.cs"];

    [Fact]
    public void Folders_depend_on_each_other_in_one_direction_only()
    {
        var loops = NamespaceGraph.Of(SourceFile.Under("src").Where(f => !CompositionRoot.Contains(Path.GetFileName(f.Path))).ToList()).EdgesInLoops();

        var added = loops.Except(KnownLoops).ToList();
        var gone = KnownLoops.Except(loops).ToList();
        Assert.True(added.Count == 0, $"new dependencies that close a loop between folders:\n{string.Join("\n", added)}");
        Assert.True(gone.Count == 0, $"these loops are gone, strike them from {nameof(KnownLoops)}:\n{string.Join("\n", gone)}");
    }

    [Fact]
    public void A_type_used_from_an_enclosing_namespace_without_a_using_counts_as_a_dependency()
    {
        var root = new SourceFile("Root.cs", "Remediation.Service", ["Remediation.Service.Feature"], ["Root"], new HashSet<string>());
        var feature = new SourceFile("Feature/Deep/Uses.cs", "Remediation.Service.Feature.Deep", [], ["Uses"], new HashSet<string> { "Root" });
        var elsewhere = new SourceFile("Other/Uses.cs", "Remediation.Other.Place", [], [], new HashSet<string> { "Root" });

        Assert.Equal(["Service -> Service.Feature", "Service.Feature -> Service"], NamespaceGraph.Of([root, feature, elsewhere]).EdgesInLoops());
        Assert.Empty(NamespaceGraph.Of([root, elsewhere]).EdgesInLoops());
    }
}
