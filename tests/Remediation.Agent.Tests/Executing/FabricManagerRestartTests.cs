using Remediation.Agent.Detecting.Fabric;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

/// <summary><c>fabric_manager_restart</c>; systemctl's answers are its documented ones (systemctl(1), is-active).</summary>
public sealed class FabricManagerRestartTests : IDisposable
{
    private readonly HostTree _host = HostTree.Copy();
    private readonly FakeRunner _runner = new();
    private readonly string _state = StateDir();

    public FabricManagerRestartTests()
    {
        _host.Write(FabricManagerService.ControlDevice, "");
        _runner.When(a => a == FabricManagerService.IsActive, new CommandResult(0, "active\n"));
    }

    private Task<StepCompleted> Run(ICommandRunner runner, bool dryRun = false) =>
        Executor(_host, runner, _state, dryRun).ExecuteAsync(Step("fabric_manager_restart"), default);

    [Fact]
    public async Task Restarts_the_unit_and_checks_it_is_active_again()
    {
        var result = await Run(_runner);

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(["systemctl restart nvidia-fabricmanager", "systemctl is-active nvidia-fabricmanager"], _runner.Lines);
    }

    [Fact]
    public async Task A_unit_that_fails_again_after_the_restart_fails_the_step()
    {
        _runner.When(a => a == FabricManagerService.IsActive, new CommandResult(3, "failed\n"));

        var result = await Run(_runner);

        Assert.Equal((StepOutcomes.Failed, (int?)3), (result.Outcome, result.ExitCode));
        Assert.Contains("nvidia-fabricmanager is failed after the restart", result.Output);
    }

    [Fact]
    public async Task A_restart_systemd_refuses_fails_without_asking_for_the_state()
    {
        _runner.When(a => a == FabricManagerService.Restart, new CommandResult(5, ""));

        var result = await Run(_runner);

        Assert.Equal((StepOutcomes.Failed, (int?)5), (result.Outcome, result.ExitCode));
        Assert.Equal(["systemctl restart nvidia-fabricmanager"], _runner.Lines);
    }

    [Fact]
    public async Task A_node_without_nvswitches_is_refused_and_nothing_runs()
    {
        File.Delete(_host.Root.Resolve(FabricManagerService.ControlDevice));

        var result = await Run(_runner);

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("no NVSwitches", result.Output);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public async Task Dry_run_prints_and_records_the_restart_and_succeeds()
    {
        var log = new StringWriter();
        var dryRun = new DryRunCommandRunner(log);

        var result = await Run(dryRun, dryRun: true);

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(["systemctl restart nvidia-fabricmanager", "systemctl is-active nvidia-fabricmanager"], dryRun.Seen.Select(a => a.ToString()));
        Assert.Contains("dry-run: would run systemctl restart nvidia-fabricmanager", log.ToString());
    }

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
