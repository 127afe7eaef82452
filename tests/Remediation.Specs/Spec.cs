using System.Text.Json;
using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;

namespace Remediation.Specs;

/// <summary>Given the events already in a node's stream, when an input arrives, then the decider emits these events.</summary>
public sealed class Spec
{
    public const string Node = "gpu-node-017";

    /// <summary>When the given events happened.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    /// <summary>When the input arrives unless a spec says otherwise.</summary>
    public static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    /// <summary>
    /// The specs' own runbooks, a copy of runbooks/ taken when they were written: a runbook edit changes what the
    /// service does, not what these specs say the decider does with a given runbook. RunbookLoadingTests load the shipped ones.
    /// </summary>
    public static readonly RunbookSet Runbooks = RunbookLoader.LoadDirectory(Path.Combine(Repo.Root, "tests", "Remediation.Specs", "Fixtures", "runbooks"));

    /// <summary>The specs' commandId key, so a Given can name the command the decider will expect.</summary>
    public const string Key = "specs";

    private readonly object[] _given;
    private DeciderOptions _options = new() { CommandKey = Key };
    private AutomationPause? _pause;

    private Spec(object[] given) => _given = given;

    public static Spec Given(params object[] events) => new(events);

    public Spec With(DeciderOptions options)
    {
        _options = options with { CommandKey = Key };
        return this;
    }

    public Spec Paused(AutomationPause pause)
    {
        _pause = pause;
        return this;
    }

    public Outcome When(NodeInput input, DateTimeOffset? at = null, FleetBudget? budget = null, Storm? storm = null) =>
        new(_given, new NodeDecider(Runbooks, _options).Decide(NodeEvolution.Fold(Node, _given), input, at ?? T1, _pause, budget, storm));
}

public sealed class Outcome(IReadOnlyList<object> given, Decision decision)
{
    public Decision Decision => decision;

    public IReadOnlyList<object> Events => decision.Events;

    public NodeState State => decision.State;

    /// <summary>The node's whole stream after this decision, to be the Given of the next spec step.</summary>
    public object[] Stream => [.. given, .. decision.Events];

    /// <summary>Exactly these events, compared field by field.</summary>
    public Outcome Then(params object[] expected)
    {
        Assert.Equal(expected.Select(Show), decision.Events.Select(Show));
        return this;
    }

    /// <summary>Exactly events of these types, in this order.</summary>
    public Outcome ThenTypes(params Type[] expected)
    {
        Assert.Equal(expected.Select(t => t.Name), decision.Events.Select(e => e.GetType().Name));
        return this;
    }

    public Outcome ThenStatus(NodeStatus expected)
    {
        Assert.Equal(expected, decision.State.Status);
        return this;
    }

    public T Single<T>() => Assert.Single(decision.Events.OfType<T>());

    public static string Show(object e) => $"{e.GetType().Name} {JsonSerializer.Serialize(e, e.GetType())}";
}
