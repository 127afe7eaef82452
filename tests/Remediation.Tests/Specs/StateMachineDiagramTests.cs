using Remediation.Service.Nodes;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Specs;

public sealed class StateMachineDiagramTests
{
    [Fact]
    public void Committed_diagram_matches_the_code()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "node-state-machine.md"));
        var expected = NodeStateMachine.ToMermaid().Trim();
        Assert.True(doc.Contains($"```mermaid\n{expected}\n```"),
            $"docs/node-state-machine.md is out of date; its mermaid block must be:\n{expected}");
    }
}
