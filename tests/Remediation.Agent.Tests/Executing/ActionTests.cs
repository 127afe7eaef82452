using Remediation.Agent.Executing.Actions;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

public sealed class ActionTests : IDisposable
{
    private readonly HostTree _host = HostTree.Copy();
    private readonly FakeRunner _runner = FakeRunner.OnL4Node();
    private readonly string _state = StateDir();

    private Task<StepCompleted> Run(StepRequested step) => Executor(_host, _runner, _state).ExecuteAsync(step, default);

    [Fact]
    public async Task Gpu_reset_checks_for_processes_then_resets_the_GPU_by_its_sysfs_address()
    {
        var result = await Run(Step("gpu_reset", new() { ["device"] = "PCI:0000:C1:00" }));

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal([
            "nvidia-smi --query-compute-apps=pid --format=csv,noheader -i 0000:c1:00.0",
            "nvidia-smi -q -x -i 0000:c1:00.0",
            "nvidia-smi --gpu-reset -i 0000:c1:00.0"], _runner.Lines);
        Assert.Contains("paused the agent's nvidia-smi and dcgmi polling", result.Output);
    }

    [Fact]
    public async Task Gpu_reset_on_an_NVSwitch_system_checks_every_GPUs_processes_and_fabric_manager()
    {
        _host.Write("/proc/driver/nvidia-nvswitch/devices/0000:05:00.0/information", "Fabric Manager state: Active");

        var result = await Run(Step("gpu_reset", new() { ["device"] = "PCI:0000:C1:00" }));

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal([
            "nvidia-smi --query-compute-apps=pid --format=csv,noheader",
            "nvidia-smi -q -x -i 0000:c1:00.0",
            "systemctl is-active nvidia-fabricmanager",
            "nvidia-smi --gpu-reset -i 0000:c1:00.0"], _runner.Lines);
    }

    [Fact]
    public async Task Gpu_reset_on_an_NVSwitch_system_without_fabric_manager_is_refused()
    {
        _host.Write("/proc/driver/nvidia-nvswitch/devices/0000:05:00.0/information", "Fabric Manager state: Active");
        _runner.WhenArgs("is-active nvidia-fabricmanager", new CommandResult(3, "inactive\n"));

        var result = await Run(Step("gpu_reset", new() { ["device"] = "PCI:0000:C1:00" }));

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("without an active nvidia-fabricmanager", result.Output);
        Assert.DoesNotContain(_runner.Calls, a => a.Args.Contains("--gpu-reset"));
    }

    [Fact]
    public async Task Gpu_reset_does_not_apply_a_pending_MIG_mode_change()
    {
        var xml = SmiFixtures.Read(SmiFixtures.L4).Replace("<gpu id=\"00000000:C1:00.0\">",
            "<gpu id=\"00000000:C1:00.0\">\n\t\t<mig_mode>\n\t\t\t<current_mig>Disabled</current_mig>\n\t\t\t<pending_mig>Enabled</pending_mig>\n\t\t</mig_mode>");
        _runner.When(a => a.Args is ["-q", "-x", ..], new CommandResult(0, xml));

        var result = await Run(Step("gpu_reset", new() { ["device"] = "PCI:0000:C1:00" }));

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("MIG mode change pending (Disabled -> Enabled)", result.Output);
        Assert.DoesNotContain(_runner.Calls, a => a.Args.Contains("--gpu-reset"));
    }

    [Fact]
    public async Task The_agents_own_detectors_do_not_poll_while_a_reset_runs()
    {
        var pause = new DetectorPause();
        bool? pollRanDuringReset = null;
        _runner.When(a => a.Args.Contains("--gpu-reset"), () =>
        {
            pollRanDuringReset = pause.TryPollAsync(() => Task.CompletedTask).GetAwaiter().GetResult();
            return new CommandResult(0, "GPU 00000000:C1:00.0 was successfully reset.\n");
        });
        var executor = new Remediation.Agent.Executing.StepExecutor(Node, _host.Root, _runner, dryRun: false,
            new Remediation.Agent.Executing.ResultStore(_state), new FixedClock(Now), detectors: pause);

        var result = await executor.ExecuteAsync(Step("gpu_reset", new() { ["device"] = "PCI:0000:C1:00" }), default);

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.False(pollRanDuringReset);
        Assert.True(await pause.TryPollAsync(() => Task.CompletedTask));
    }

    [Fact]
    public async Task Gpu_reset_of_a_GPU_a_process_holds_answers_in_use_and_does_nothing()
    {
        _runner.When(a => a.Args.Contains("--query-compute-apps=pid"), new CommandResult(0, "40211\n40377\n"));

        var result = await Run(Step("gpu_reset", new() { ["device"] = "0" }));

        Assert.Equal((StepOutcomes.Failed, (int?)StepExitCodes.InUse), (result.Outcome, result.ExitCode));
        Assert.Contains("nothing was done", result.Output);
        Assert.Contains("in use by pid 40211, 40377", result.Output);
        Assert.DoesNotContain(_runner.Calls, a => a.Args.Contains("--gpu-reset"));
    }

    [Fact]
    public async Task Gpu_reset_reports_nvidia_smi_failing_with_its_exit_code()
    {
        _runner.When(a => a.Args.Contains("--gpu-reset"), new CommandResult(3, "GPU 00000000:01:00.0 is currently in use by another process.\n"));

        var result = await Run(Step("gpu_reset", new() { ["device"] = "00000000:01:00.0" }));

        Assert.Equal((StepOutcomes.Failed, (int?)3), (result.Outcome, result.ExitCode));
        Assert.Contains("currently in use by another process", result.Output);
    }

    [Fact]
    public async Task A_GPU_that_is_not_on_this_node_fails_without_running_anything()
    {
        var result = await Run(Step("gpu_reset", new() { ["device"] = "PCI:0000:3b:00" }));

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("no NVIDIA GPU at PCI 0000:3b:00.0", result.Output);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public async Task A_NIC_is_not_a_GPU()
    {
        var result = await Run(Step("gpu_reset", new() { ["device"] = "PCI:0000:0c:00" }));
        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Empty(_runner.Calls);
    }

    // The fake runner answers every command with success, so by default all of the driver's users run.
    private void OnlyPersistencedRunning() =>
        _runner.When(a => a.File == "systemctl" && a.Args is ["is-active", not "nvidia-persistenced"], new CommandResult(3, "inactive\n"));

    [Fact]
    public async Task Driver_reload_stops_the_drivers_users_unloads_every_module_loads_back_and_restarts_them()
    {
        _host.Write("/sys/module/nvidia_peermem/refcnt", "0\n");

        var result = await Run(Step("driver_reload"));

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal([
            "nvidia-smi --query-compute-apps=pid --format=csv,noheader",
            "systemctl is-active dcgm-exporter", "systemctl stop dcgm-exporter",
            "systemctl is-active nvidia-dcgm", "systemctl stop nvidia-dcgm",
            "systemctl is-active nvidia-fabricmanager", "systemctl stop nvidia-fabricmanager",
            "systemctl is-active nvidia-persistenced", "systemctl stop nvidia-persistenced",
            "modprobe -r nvidia_peermem", "modprobe -r nvidia_uvm", "modprobe -r nvidia_drm", "modprobe -r nvidia_modeset", "modprobe -r nvidia",
            "modprobe nvidia", "modprobe nvidia_modeset", "modprobe nvidia_drm", "modprobe nvidia_uvm", "modprobe nvidia_peermem",
            "systemctl start nvidia-persistenced", "systemctl start nvidia-fabricmanager", "systemctl start nvidia-dcgm", "systemctl start dcgm-exporter",
            "nvidia-smi -L", "systemctl is-active nvidia-fabricmanager"], _runner.Lines);
    }

    [Fact]
    public async Task Driver_reload_stops_and_restarts_only_the_users_that_were_running()
    {
        OnlyPersistencedRunning();

        var result = await Run(Step("driver_reload"));

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(["systemctl stop nvidia-persistenced"], _runner.Lines.Where(l => l.StartsWith("systemctl stop", StringComparison.Ordinal)));
        Assert.Equal(["systemctl start nvidia-persistenced"], _runner.Lines.Where(l => l.StartsWith("systemctl start", StringComparison.Ordinal)));
        Assert.Equal("nvidia-smi -L", _runner.Lines.Last());
    }

    [Fact]
    public async Task A_module_that_will_not_unload_is_rolled_back_loading_again_what_was_removed_and_restarting_the_users()
    {
        OnlyPersistencedRunning();
        _host.Delete("/sys/module/nvidia_drm");
        _runner.WhenArgs("-r nvidia_modeset", new CommandResult(1, "modprobe: FATAL: Module nvidia_modeset is in use.\n"));

        var result = await Run(Step("driver_reload"));

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("Module nvidia_modeset is in use", result.Output);
        Assert.Contains("unloading nvidia_modeset failed (exit 1); rolled back: loaded again nvidia_uvm, started again nvidia-persistenced", result.Output);
        Assert.Equal(["modprobe -r nvidia_modeset", "modprobe nvidia_uvm", "systemctl start nvidia-persistenced"], _runner.Lines.TakeLast(3));
        Assert.DoesNotContain("modprobe -r nvidia", _runner.Lines);
    }

    [Fact]
    public async Task Driver_reload_fails_when_fabric_manager_does_not_come_back()
    {
        var fabricChecks = 0;
        _runner.When(a => a.ToString() == "systemctl is-active nvidia-fabricmanager",
            () => ++fabricChecks == 1 ? new CommandResult(0, "active\n") : new CommandResult(3, "failed\n"));

        var result = await Run(Step("driver_reload"));

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("nvidia-fabricmanager is not active after the reload", result.Output);
    }

    [Fact]
    public async Task Link_bounce_of_an_InfiniBand_port_uses_ibportstate_and_waits_for_ACTIVE()
    {
        var result = await Run(Step("link_bounce", new() { ["port"] = "mlx5_0/1", ["quarantined"] = "yes" }));

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(["ibportstate -C mlx5_0 -P 1 -D 0 1 disable", "ibportstate -C mlx5_0 -P 1 -D 0 1 enable"], _runner.Lines);
        Assert.Contains("mlx5_0/1: 4: ACTIVE, 5: LinkUp", result.Output);
    }

    [Fact]
    public async Task Link_bounce_of_a_RoCE_port_named_by_its_PCI_function_bounces_the_netdev()
    {
        var result = await Run(Step("link_bounce", new() { ["port"] = "PCI:0000:4b:00.0", ["quarantined"] = "yes" }));

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(["ip link set dev ens4np0 down", "ip link set dev ens4np0 up"], _runner.Lines);
    }

    [Fact]
    public async Task Link_bounce_leaves_a_port_that_is_up_alone_unless_the_node_is_quarantined()
    {
        var result = await Run(Step("link_bounce", new() { ["port"] = "mlx5_0/1" }));

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Empty(_runner.Calls);
        Assert.Contains("mlx5_0/1 is up (4: ACTIVE, 5: LinkUp) and the node is not quarantined: not bounced", result.Output);
    }

    [Fact]
    public async Task Link_bounce_of_a_dead_port_needs_no_quarantine()
    {
        _host.Write("/sys/class/infiniband/mlx5_0/ports/1/state", "1: DOWN");
        _host.Write("/sys/class/infiniband/mlx5_0/ports/1/phys_state", "3: Disabled");
        _runner.When(a => a.Args.Contains("enable"), () =>
        {
            _host.Write("/sys/class/infiniband/mlx5_0/ports/1/state", "4: ACTIVE");
            _host.Write("/sys/class/infiniband/mlx5_0/ports/1/phys_state", "5: LinkUp");
            return new CommandResult(0, "");
        });

        var result = await Run(Step("link_bounce", new() { ["port"] = "mlx5_0/1", ["quarantined"] = "no" }));

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(["ibportstate -C mlx5_0 -P 1 -D 0 1 disable", "ibportstate -C mlx5_0 -P 1 -D 0 1 enable"], _runner.Lines);
    }

    [Fact]
    public async Task Link_bounce_refuses_a_quarantine_flag_it_does_not_know() =>
        Assert.Equal(StepOutcomes.Failed, (await Run(Step("link_bounce", new() { ["port"] = "mlx5_0/1", ["quarantined"] = "maybe" }))).Outcome);

    [Fact]
    public async Task Link_check_fails_for_a_port_that_is_down()
    {
        _host.Write("/sys/class/infiniband/mlx5_0/ports/1/state", "1: DOWN");
        var result = await Run(Step("link_check", new() { ["port"] = "mlx5_0/1" }));
        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("1: DOWN", result.Output);
    }

    [Fact]
    public async Task Gpu_health_fails_for_a_GPU_with_a_pending_row_remap()
    {
        var xml = SmiFixtures.With(SmiFixtures.Read(SmiFixtures.L4), "00000000:01:00.0", "remapped_row_pending", "Yes");
        _runner.When(a => a.Args.Contains("-x"), new CommandResult(0, xml));

        var one = await Run(Step("gpu_health", new() { ["device"] = "PCI:0000:01:00" }, "c-1"));
        var other = await Run(Step("gpu_health", new() { ["device"] = "PCI:0000:c1:00" }, "c-2"));

        Assert.Equal((StepOutcomes.Failed, StepOutcomes.Succeeded), (one.Outcome, other.Outcome));
        Assert.Contains("row remap pending", one.Output);
        Assert.Equal("nvidia-smi -q -x -i 0000:01:00.0", _runner.Lines.First());
    }

    [Fact]
    public async Task Node_health_fails_when_nvidia_smi_misses_a_GPU_sysfs_knows()
    {
        var xml = SmiFixtures.Read(SmiFixtures.L4);
        var onlyFirst = xml[..xml.IndexOf("<gpu id=\"00000000:C1:00.0\">", StringComparison.Ordinal)] + "</nvidia_smi_log>\n";
        _runner.When(a => a.Args.Contains("-x"), new CommandResult(0, onlyFirst));

        var result = await Run(Step("node_health"));

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("does not see GPU 0000:c1:00.0", result.Output);
    }

    [Fact]
    public async Task Reboot_looks_for_GPU_processes_then_asks_systemd()
    {
        var result = await Run(Step("reboot"));
        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(["nvidia-smi --query-compute-apps=pid --format=csv,noheader", "systemctl reboot"], _runner.Lines);
    }

    [Fact]
    public async Task Reboot_from_the_DaemonSet_runs_the_hosts_systemctl_in_the_namespaces_of_pid_1()
    {
        var executor = Executor(_host, _runner, _state, dryRun: false, rebootVia: RebootVia.HostPid1);

        var result = await executor.ExecuteAsync(Step("reboot"), default);

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal("nsenter --target 1 --mount --uts --ipc --net --pid -- systemctl reboot", _runner.Lines.Last());
    }

    [Theory]
    [InlineData(false, "System has not been booted with systemd as init system (PID 1). Can't operate.\n", "the host's /run/systemd mounted at /run/systemd")]
    [InlineData(true, "nsenter: reassociate to namespace 'ns/mnt' failed: Operation not permitted\n", "needs the pod's hostPID: true")]
    public async Task A_reboot_that_cannot_reach_the_hosts_systemd_fails_and_says_what_is_missing(bool viaPid1, string said, string hint)
    {
        var via = viaPid1 ? RebootVia.HostPid1 : RebootVia.Systemctl;
        _runner.When(a => a.Args.Contains("reboot"), new CommandResult(1, said));
        var executor = Executor(_host, _runner, _state, dryRun: false, rebootVia: via);

        var result = await executor.ExecuteAsync(Step("reboot"), default);

        Assert.Equal((StepOutcomes.Failed, (int?)1), (result.Outcome, result.ExitCode));
        Assert.Contains(said.TrimEnd(), result.Output);
        Assert.Contains(hint, result.Output);
    }

    [Fact]
    public async Task Reboot_under_running_GPU_processes_answers_in_use_and_does_not_reboot()
    {
        _runner.When(a => a.Args.Contains("--query-compute-apps=pid"), new CommandResult(0, "51234\n"));

        var result = await Run(Step("reboot"));

        Assert.Equal((StepOutcomes.Failed, (int?)StepExitCodes.InUse), (result.Outcome, result.ExitCode));
        Assert.Contains("GPUs are in use by pid 51234", result.Output);
        Assert.DoesNotContain("systemctl reboot", _runner.Lines);
    }

    [Fact]
    public async Task Reboot_goes_ahead_when_nvidia_smi_cannot_list_processes_of_a_GPU_off_the_bus()
    {
        _runner.When(a => a.Args.Contains("--query-compute-apps=pid"),
            new CommandResult(15, "Unable to determine the device handle for GPU0000:01:00.0: GPU is lost.  Reboot the system to recover this GPU\n"));

        var result = await Run(Step("reboot"));

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal("systemctl reboot", _runner.Lines.Last());
    }

    [Fact]
    public async Task Driver_reload_under_running_GPU_processes_answers_in_use_and_unloads_nothing()
    {
        _runner.When(a => a.Args.Contains("--query-compute-apps=pid"), new CommandResult(0, "40211\n"));

        var result = await Run(Step("driver_reload"));

        Assert.Equal((StepOutcomes.Failed, (int?)StepExitCodes.InUse), (result.Outcome, result.ExitCode));
        Assert.DoesNotContain(_runner.Lines, l => l.StartsWith("modprobe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_step_past_its_deadline_times_out_without_running()
    {
        var result = await Run(Step("reboot") with { Deadline = Now.AddSeconds(-1) });
        Assert.Equal(StepOutcomes.TimedOut, result.Outcome);
        Assert.Empty(_runner.Calls);
    }

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
