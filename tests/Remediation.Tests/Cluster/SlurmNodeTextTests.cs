using Remediation.Service.Repair;
using Remediation.Service.Repair.Slurm;

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
        Assert.Throws<Remediation.Service.Repair.SchedulerException>(() => SlurmNodeText.Parse("x", "garbage"));

    // Debian's Slurm 22.05 with a slurmd registered and a job running, drained with "remediation: inc-1", after
    // `scontrol reboot ASAP nextstate=RESUME reason="remediation: inc-1" gpu-node-003` (what the adapter asked before it
    // asked for nextstate=DOWN; the states and the reason are the same).
    private const string RebootRequested = """
        NodeName=gpu-node-003 Arch=x86_64 CoresPerSocket=1 
           CPUAlloc=1 CPUEfctv=2 CPUTot=2 CPULoad=4.23
           AvailableFeatures=(null)
           ActiveFeatures=(null)
           Gres=(null)
           NodeAddr=127.0.0.1 NodeHostName=localhost Version=22.05.8
           OS=Linux 6.18.44-fc-v1045 #1 SMP PREEMPT_DYNAMIC @0 
           RealMemory=1 AllocMem=1 FreeMem=19755 Sockets=2 Boards=1
           State=MIXED+DRAIN+REBOOT_REQUESTED ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A
           NextState=RESUME
           Partitions=gpu 
           BootTime=2026-12-01T06:51:59 SlurmdStartTime=2026-12-01T09:46:25
           LastBusyTime=2026-12-01T09:46:25
           CfgTRES=cpu=2,mem=1M,billing=2
           AllocTRES=cpu=1,mem=1M
           CapWatts=n/a
           CurrentWatts=0 AveWatts=0
           ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s
           Reason=remediation: inc-1 [root@2026-12-01T09:46:31]

        """;

    // The same node once its job ended: slurmctld has sent the reboot to slurmd and noted it on the reason.
    private const string RebootIssued = """
        NodeName=gpu-node-003 Arch=x86_64 CoresPerSocket=1 
           CPUAlloc=0 CPUEfctv=2 CPUTot=2 CPULoad=4.23
           AvailableFeatures=(null)
           ActiveFeatures=(null)
           Gres=(null)
           NodeAddr=127.0.0.1 NodeHostName=localhost Version=22.05.8
           OS=Linux 6.18.44-fc-v1045 #1 SMP PREEMPT_DYNAMIC @0 
           RealMemory=1 AllocMem=0 FreeMem=19755 Sockets=2 Boards=1
           State=DOWN+DRAIN+REBOOT_ISSUED ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A
           NextState=RESUME
           Partitions=gpu 
           BootTime=2026-12-01T06:51:59 SlurmdStartTime=2026-12-01T09:46:25
           LastBusyTime=2026-12-01T09:46:31
           CfgTRES=cpu=2,mem=1M,billing=2
           AllocTRES=
           CapWatts=n/a
           CurrentWatts=0 AveWatts=0
           ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s
           Reason=remediation: inc-1 : reboot issued [root@2026-12-01T09:46:32]

        """;

    // Debian's Slurm 22.05 after `scontrol reboot ASAP nextstate=DOWN reason="remediation: inc-13" gpu-node-012` once
    // slurmd registered from the new boot (SlurmSchedulerTests, slurmd restarted in a fresh time namespace).
    private const string BackDown = """
        NodeName=gpu-node-012 Arch=x86_64 CoresPerSocket=1 
           CPUAlloc=0 CPUEfctv=2 CPUTot=2 CPULoad=16.72
           AvailableFeatures=(null)
           ActiveFeatures=(null)
           Gres=(null)
           NodeAddr=127.0.0.1 NodeHostName=localhost Version=22.05.8
           OS=Linux 6.18.44-fc-v1045 #1 SMP PREEMPT_DYNAMIC @0 
           RealMemory=1 AllocMem=0 FreeMem=19083 Sockets=2 Boards=1
           State=DOWN ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A
           Partitions=gpu 
           BootTime=2026-12-01T12:37:10 SlurmdStartTime=2026-12-01T12:37:12
           LastBusyTime=2026-12-01T12:37:07
           CfgTRES=cpu=2,mem=1M,billing=2
           AllocTRES=
           CapWatts=n/a
           CurrentWatts=0 AveWatts=0
           ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s
           Reason=remediation: inc-13 : reboot issued : reboot complete [root@2026-12-01T12:37:12]

        """;

    [Fact]
    public void A_node_back_down_from_our_reboot_is_still_held_for_the_incident()
    {
        var node = SlurmNodeText.Parse("gpu-node-012", BackDown);

        Assert.Equal((SchedulerReboot.None, true, false), (node.Reboot, node.Cordoned, node.Busy));
        Assert.Equal("remediation: inc-13", node.CordonedBy);
        Assert.Equal("2026-12-01T12:37:10", node.BootTime);
    }

    [Fact]
    public void A_node_down_for_another_reason_is_not_held_for_us()
    {
        var node = SlurmNodeText.Parse("gpu-node-012", BackDown.Replace("remediation: inc-13 : reboot issued : reboot complete", "Not responding"));

        Assert.False(node.Cordoned);
        Assert.Null(node.CordonedBy);
    }

    [Fact]
    public void A_reboot_asked_while_a_job_runs_is_requested_and_the_node_still_busy()
    {
        var node = SlurmNodeText.Parse("gpu-node-003", RebootRequested);

        Assert.Equal((SchedulerReboot.Requested, true, true), (node.Reboot, node.Busy, node.Cordoned));
        Assert.Equal("remediation: inc-1", node.CordonedBy);
        Assert.Equal("2026-12-01T06:51:59", node.BootTime);
    }

    [Fact]
    public void An_issued_reboot_keeps_the_incidents_reason_under_slurms_note()
    {
        var node = SlurmNodeText.Parse("gpu-node-003", RebootIssued);

        Assert.Equal((SchedulerReboot.Issued, false), (node.Reboot, node.Busy));
        Assert.Equal("remediation: inc-1", node.CordonedBy);
    }

    // scontrol(1): the reason is appended with "reboot timed out" when the node fails to register within ResumeTimeout.
    [Fact]
    public void A_reboot_slurm_gave_up_on_is_timed_out()
    {
        var node = SlurmNodeText.Parse("gpu-node-003", RebootIssued
            .Replace("DOWN+DRAIN+REBOOT_ISSUED", "DOWN+DRAIN").Replace(" : reboot issued", " : reboot timed out"));

        Assert.Equal(SchedulerReboot.TimedOut, node.Reboot);
        Assert.Equal("remediation: inc-1", node.CordonedBy);
    }

    [Fact]
    public void A_node_whose_slurmd_never_registered_has_no_boot_time() =>
        Assert.Null(SlurmNodeText.Parse("gpu-node-002", Drained).BootTime);
}
