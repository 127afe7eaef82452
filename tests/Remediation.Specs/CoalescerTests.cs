using Remediation.Service.Pipeline;

namespace Remediation.Specs;

/// <summary>Counted repeats count each fault once, however often the broker or an agent delivers it.</summary>
public sealed class CoalescerTests
{
    [Fact]
    public void A_redelivered_repeat_is_not_counted_again()
    {
        var coalescer = new Coalescer();
        coalescer.Add(Node, "link_flap:-:mlx5_0/1", "e-2", T0, delivery: null);
        coalescer.Add(Node, "link_flap:-:mlx5_0/1", "e-3", T0.AddSeconds(1), delivery: null);
        coalescer.Add(Node, "link_flap:-:mlx5_0/1", "e-2", T0, delivery: null);

        var (repeated, _) = Assert.Single(coalescer.Drain());
        Assert.Equal(2, repeated.Count);
        Assert.Equal(["e-2", "e-3"], repeated.EventIds!);
    }

    [Fact]
    public void A_counted_repeat_delivered_again_after_the_flush_is_ignored()
    {
        var flapping = Given(Histories.ResetInFlight()).When(Xid(48, eventId: "e-5"), T0.AddSeconds(10));
        Assert.NotNull(flapping.Decision.CoalescedFingerprint);
        var counted = new FaultRepeated(Node, XidFingerprint(48), 1, T0.AddSeconds(10), T0.AddSeconds(10), "rule:coalesce", ["e-5"]);

        Given([.. Histories.ResetInFlight(), counted]).When(Xid(48, eventId: "e-5"), T0.AddSeconds(20))
            .ThenTypes(typeof(FaultIgnored));
    }
}
