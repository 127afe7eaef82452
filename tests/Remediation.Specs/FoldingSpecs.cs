using System.Text.Json;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs;

/// <summary>Replay safety: the state the decider hands back is the state a replay of the stream folds into.</summary>
public sealed class FoldingSpecs
{
    private static readonly Dictionary<string, Func<Outcome>> Scenarios = new()
    {
        ["xid79 awaits approval"] = () => Given().When(Xid(79)),
        ["xid79 auto-approved"] = () => Given().With(new DeciderOptions { AutoApprove = true }).When(Xid(79)),
        ["xid48 reset dispatched"] = () => Given().When(Xid(48)),
        ["xid13 recorded"] = () => Given().When(Xid(13)),
        ["xid54 handed over"] = () => Given().When(Xid(54)),
        ["reset retried"] = () => Given(Histories.ResetInFlight()).When(Failed(Command("gpu-reset", "reset-gpu"))),
        ["reset escalated"] = () => Given(Histories.ResetInFlight(2)).When(Failed(Command("gpu-reset", "reset-gpu", 2))),
        ["verification dispatched"] = () => Given(Histories.ResetInFlight()).When(Ok(Command("gpu-reset", "reset-gpu"))),
        ["verified and resolved"] = () => Given(Histories.ResetVerifying).When(Ok(Command("gpu-reset", "check-gpu"))),
        ["verification failed"] = () => Given(Histories.ResetVerifying).When(Failed(Command("gpu-reset", "check-gpu"))),
        ["step timed out"] = () => Given(Histories.ResetInFlight()).When(Tick, T0.AddMinutes(2)),
        ["cordoned"] = () => Given(Histories.CordonInFlight()).When(Ok(Command("cordon-and-rma", "cordon-node"))),
        ["automation exhausted"] = () => Given(Histories.CordonInFlight(3)).When(Failed(Command("cordon-and-rma", "cordon-node", 3))),
        ["xid79 after failed reset"] = () => Given(Histories.ReloadInFlight).When(Xid(79)),
        ["approved"] = () => Given(Histories.RebootAwaitingApproval).When(Approve(ApprovalId(1))),
        ["rejected"] = () => Given(Histories.RebootAwaitingApproval).When(Reject(ApprovalId(1))),
        ["approval expired"] = () => Given(Histories.RebootAwaitingApproval).When(Tick, T0.AddMinutes(30)),
        ["flap observed"] = () => Given().When(Fault("link_flap")),
        ["flap dampened"] = () => Given(FlapOpened()).When(Tick, T0.AddMinutes(10)),
        ["flap threshold"] = () => Given([.. FlapOpened(), FlapCounted("e-2")]).When(Fault("link_flap", "e-3")),
        ["duplicate ignored"] = () => Given(Histories.ResetInFlight()).When(Xid(48, "e-1")),
        ["repeat climbs"] = () => Given(Histories.ResetResolved).When(Xid(48), T0.AddHours(1)),
        ["stale result"] = () => Given(Histories.ResetInFlight()).When(Ok("nope")),
    };

    public static TheoryData<string> Names => [.. Scenarios.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Folding_the_decided_events_gives_the_decided_state(string scenario)
    {
        var outcome = Scenarios[scenario]();
        Assert.NotEmpty(outcome.Events);
        var replayed = NodeEvolution.Fold(Node, outcome.Stream);
        Assert.Equal(outcome.Stream.Length, replayed.Version);
        Assert.Equal(JsonSerializer.Serialize(outcome.State), JsonSerializer.Serialize(replayed));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Deciding_the_same_input_twice_gives_the_same_events(string scenario)
    {
        Assert.Equal(Scenarios[scenario]().Events.Select(Outcome.Show), Scenarios[scenario]().Events.Select(Outcome.Show));
    }

    [Fact]
    public void Event_the_state_machine_forbids_fails_the_replay()
    {
        object[] stream = [.. XidOpened(48), new NodeCordoned(Node, Incident(), T0, "forged")];
        var error = Assert.Throws<InvalidOperationException>(() => NodeEvolution.Fold(Node, stream));
        Assert.Contains("No transition from Healthy on Cordon", error.Message);
    }
}
