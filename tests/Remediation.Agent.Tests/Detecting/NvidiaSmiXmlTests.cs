using Remediation.Agent.Detecting.Gpu;
using Remediation.Agent.Tests.Support;

namespace Remediation.Agent.Tests.Detecting;

public sealed class NvidiaSmiXmlTests
{
    [Fact]
    public void Reads_both_L4s_of_a_driver_555_report()
    {
        var gpus = NvidiaSmiXml.Parse(SmiFixtures.Read(SmiFixtures.L4));

        Assert.Equal(["0000:01:00.0", "0000:c1:00.0"], gpus.Select(g => g.Address));
        var second = gpus[1];
        Assert.Equal("GPU-128ab6fb-6ec9-fd74-b479-4a5fd14f55bd", second.Uuid);
        Assert.Equal("PCI:0000:c1:00", second.FaultName);
        Assert.Equal((0L, 0L), (second.VolatileUncorrectable!.Value, second.AggregateUncorrectable!.Value));
        Assert.Equal((4, 4, 1, 16), (second.CurrentGen!.Value, second.MaxGen!.Value, second.CurrentWidth!.Value, second.MaxWidth!.Value));
        Assert.True(second.Idle);
        Assert.False(second.RemapPending || second.RemapFailure || second.HwThermalSlowdown || second.SwThermalSlowdown);
    }

    [Fact]
    public void GeForce_without_ECC_reads_as_unknown_counts_not_zero()
    {
        var gpu = Assert.Single(NvidiaSmiXml.Parse(SmiFixtures.Read(SmiFixtures.Laptop)));

        Assert.Null(gpu.VolatileUncorrectable);
        Assert.Null(gpu.AggregateUncorrectable);
        Assert.Equal((2, 4), (gpu.CurrentGen!.Value, gpu.MaxGen!.Value));
    }

    [Fact]
    public void Sums_DRAM_and_both_SRAM_uncorrectable_counters()
    {
        var xml = SmiFixtures.Read(SmiFixtures.L4);
        xml = SmiFixtures.With(xml, "00000000:01:00.0", "dram_uncorrectable", "2");
        xml = SmiFixtures.With(xml, "00000000:01:00.0", "sram_uncorrectable_secded", "1");

        Assert.Equal(3, NvidiaSmiXml.Parse(xml)[0].VolatileUncorrectable);
    }

    [Fact]
    public void Reads_the_pre_550_throttle_reason_names()
    {
        var xml = SmiFixtures.Read(SmiFixtures.L4).Replace("clocks_event_reason", "clocks_throttle_reason");
        xml = SmiFixtures.With(xml, "00000000:01:00.0", "clocks_throttle_reason_hw_thermal_slowdown", "Active");

        Assert.True(NvidiaSmiXml.Parse(xml)[0].HwThermalSlowdown);
    }
}
