using Remediation.Service.Cluster.Slurm;

namespace Remediation.Tests.Cluster;

public sealed class SlurmNodeTextTests
{
    // `scontrol show node gpu-node-002` from Debian's Slurm 22.05 after
    // `scontrol update NodeName=gpu-node-002 State=DRAIN Reason="remediation: inc-1"` (no slurmd running).
    private const string Drained = """
        NodeName=gpu-node-002 CoresPerSocket=1 
           CPUAlloc=0 CPUEfctv=2 CPUTot=2 CPULoad=N/A
           AvailableFeatures=(null)
           ActiveFeatures=(null)
           Gres=(null)
           NodeAddr=localhost NodeHostName=localhost 
           RealMemory=1 AllocMem=0 FreeMem=N/A Sockets=2 Boards=1
           State=UNKNOWN+DRAIN ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A
           Partitions=gpu 
           BootTime=None SlurmdStartTime=None
           LastBusyTime=Unknown
           CfgTRES=cpu=2,mem=1M,billing=2
           AllocTRES=
           CapWatts=n/a
           CurrentWatts=0 AveWatts=0
           ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s
           Reason=remediation: inc-1 [root@2026-11-25T09:06:35]

        """;

    [Fact]
    public void Reads_the_drain_flag_and_the_reason_without_who_and_when()
    {
        var node = SlurmNodeText.Parse("gpu-node-002", Drained);

        Assert.Equal("UNKNOWN+DRAIN", node.State);
        Assert.True(node.Cordoned);
        Assert.Equal("remediation: inc-1", node.CordonedBy);
    }

    // What scontrol prints while running jobs finish on a drained node (sinfo: "draining"), and once they have ("drained").
    [Theory]
    [InlineData("MIXED+DRAIN", true)]
    [InlineData("ALLOCATED+DRAIN", true)]
    [InlineData("IDLE+COMPLETING+DRAIN", true)]
    [InlineData("IDLE+DRAIN", false)]
    [InlineData("DOWN+DRAIN+NOT_RESPONDING", false)]
    [InlineData("UNKNOWN+DRAIN", false)]
    public void A_drain_flag_with_jobs_still_on_the_node_is_draining_not_drained(string state, bool busy)
    {
        var node = SlurmNodeText.Parse("gpu-node-002", Drained.Replace("UNKNOWN+DRAIN", state));

        Assert.Equal((true, busy), (node.Cordoned, node.Busy));
    }

    [Fact]
    public void A_node_without_the_drain_flag_is_not_cordoned_even_with_a_stale_reason()
    {
        var node = SlurmNodeText.Parse("gpu-node-002", Drained.Replace("UNKNOWN+DRAIN", "IDLE"));

        Assert.False(node.Cordoned);
        Assert.Null(node.CordonedBy);
    }

    [Fact]
    public void Output_without_a_state_is_an_error_not_a_healthy_node() =>
        Assert.Throws<Remediation.Service.Cluster.SchedulerException>(() => SlurmNodeText.Parse("x", "garbage"));
}
