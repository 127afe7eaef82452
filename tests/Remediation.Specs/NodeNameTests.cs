namespace Remediation.Specs;

/// <summary>Node ids become stream keys, routing keys and scheduler arguments: only host names get in.</summary>
public sealed class NodeNameTests
{
    [Theory]
    [InlineData("gpu-node-017")]
    [InlineData("dgx-a100-01.cluster.local")]
    [InlineData("Node_7")]
    [InlineData("a")]
    public void Host_names_are_node_ids(string nodeId) => Assert.True(NodeNames.IsValid(nodeId));

    [Theory]
    [InlineData("")]
    [InlineData("gpu node")]
    [InlineData("node;reboot")]
    [InlineData("$(reboot)")]
    [InlineData("-flag")]
    [InlineData("node.")]
    [InlineData("$automation")]
    [InlineData("node\n")]
    public void Anything_else_is_refused(string nodeId) => Assert.False(NodeNames.IsValid(nodeId));

    [Fact]
    public void A_fault_for_a_bad_node_id_says_why()
    {
        var fault = new FaultDetected("e-1", "node;reboot", FaultKinds.Xid, 79, null, null, T0, null, null);
        Assert.StartsWith("nodeId 'node;reboot' is not a host name", FaultValidation.Validate(fault));
    }
}
