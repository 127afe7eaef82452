using Remediation.Agent.Detecting.KernelLog;
using Remediation.Agent.Tests.Support;

namespace Remediation.Agent.Tests;

public sealed class FaultEventIdTests
{
    private static readonly string Line = Fixtures.Line("[   94.573839] NVRM: Xid (PCI:0000:08:00): 44");

    [Fact]
    public void Rereading_the_same_line_after_a_restart_gives_the_same_event_id()
    {
        var beforeRestart = new KernelLogParser("gpu-node-017", null, new FixedClock(DateTimeOffset.UnixEpoch)).Parse(Line);
        var afterRestart = new KernelLogParser("gpu-node-017", null, new FixedClock(DateTimeOffset.UnixEpoch.AddHours(5))).Parse(Line);

        Assert.Equal(beforeRestart?.EventId, afterRestart?.EventId);
    }

    [Fact]
    public void The_same_line_on_two_nodes_gives_two_event_ids()
    {
        Assert.NotEqual(FaultEventId.For("gpu-node-017", Line), FaultEventId.For("gpu-node-018", Line));
    }

    [Fact]
    public void Two_lines_on_one_node_give_two_event_ids()
    {
        var other = Fixtures.Line("[   94.627944] NVRM: Xid (PCI:0000:08:00): 31");

        Assert.NotEqual(FaultEventId.For("gpu-node-017", Line), FaultEventId.For("gpu-node-017", other));
    }

    [Fact]
    public void Event_id_is_128_bits_of_lowercase_hex()
    {
        Assert.Matches("^[0-9a-f]{32}$", FaultEventId.For("gpu-node-017", Line));
    }
}
