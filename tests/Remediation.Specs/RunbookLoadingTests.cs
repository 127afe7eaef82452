using Remediation.Core.Runbooks;

namespace Remediation.Specs;

/// <summary>The real runbooks load; a broken one stops start-up with the file and line to fix.</summary>
public sealed class RunbookLoadingTests
{
    [Fact]
    public void Real_runbooks_load_into_the_gpu_ladder()
    {
        var set = RunbookLoader.LoadDirectory(Repo.Runbooks);
        Assert.Equal(["cordon-and-rma", "driver-reload", "fabric-manager-restart", "gpu-reset", "link-flap-recovery", "reboot"],
            set.All.Select(r => r.Name).Order());
        Assert.Equal((2, "reboot"), (set.Height("fabric-manager-restart"), set["fabric-manager-restart"].OnFailure));
        Assert.Equal((3, 2, 1, 0, 1), (set.Height("gpu-reset"), set.Height("driver-reload"), set.Height("reboot"),
            set.Height("cordon-and-rma"), set.Height("link-flap-recovery")));
        Assert.Equal("driver-reload", set["gpu-reset"].OnFailure);
        Assert.Null(set["cordon-and-rma"].OnFailure);
    }

    [Fact]
    public void Real_runbooks_read_steps_risk_and_verification()
    {
        var set = RunbookLoader.LoadDirectory(Repo.Runbooks);
        var reset = Assert.Single(set["gpu-reset"].Steps);
        Assert.Equal(("reset-gpu", "gpu_reset", TimeSpan.FromMinutes(2), 1, false), (reset.Name, reset.Action, reset.Timeout, reset.Retries, reset.HighRisk));
        Assert.Equal("{device}", reset.Args["device"]);
        Assert.Equal(("check-gpu", "gpu_health"), (set["gpu-reset"].Verify?.Name, set["gpu-reset"].Verify?.Action));
        Assert.True(Assert.Single(set["reboot"].Steps).HighRisk);
        Assert.All(set["cordon-and-rma"].Steps, s => Assert.True(s.HighRisk));
        Assert.Equal(new Threshold(3, TimeSpan.FromMinutes(10)), set["link-flap-recovery"].Triggers[0].Threshold);
        var sxidRate = set["fabric-manager-restart"].Triggers[2];
        Assert.Equal((false, new Threshold(10, TimeSpan.FromHours(1), TimeSpan.FromSeconds(5))), (sxidRate.Fatal, sxidRate.Threshold));
        Assert.Equal(21, set["reboot"].Triggers[2].Sxids.Count);
    }

    [Fact]
    public void Xid_buckets_expand_from_nvidias_catalog()
    {
        var set = RunbookLoader.LoadDirectory(Repo.Runbooks);
        var reset = set["gpu-reset"].Triggers[0].Xids;
        Assert.Superset(new HashSet<int> { 46, 48, 62, 74, 95, 119, 120 }, reset.ToHashSet());
        Assert.DoesNotContain(79, reset);
        Assert.Equal([79], set["reboot"].Triggers[0].Xids);
    }

    [Theory]
    [InlineData("gpu-reset.yaml", "    action: gpu_reset", "   action: gpu_reset", 10, "invalid YAML")]
    [InlineData("gpu-reset.yaml", "action: gpu_reset", "action: gpu_rest", 10, "unknown action 'gpu_rest'")]
    [InlineData("gpu-reset.yaml", "    retries: 1", "    retires: 1", 13, "unknown key 'retires'")]
    [InlineData("reboot.yaml", "onFailure:", "on_failure:", 19, "unknown key 'on_failure'")]
    [InlineData("gpu-reset.yaml", "timeout: 2m", "timeout: 2 minutes", 12, "must be a duration")]
    [InlineData("gpu-reset.yaml", "  timeout: 10m", "  timeout: until drained", 23, "must be a duration")]
    [InlineData("gpu-reset.yaml", "  timeout: 10m", "  timeout: 10m\n  force: true", 24, "unknown key 'force'")]
    [InlineData("link-flap-recovery.yaml", "window: 10m", "window: 0m", 9, "longer than zero")]
    [InlineData("link-flap-recovery.yaml", "  kinds: [link_flap]", "  kinds: [link_flop]", 27, "unknown fault kind 'link_flop'")]
    [InlineData("reboot.yaml", "onFailure: cordon-and-rma", "onFailure: cordon-and-pray", 19, "unknown runbook 'cordon-and-pray'")]
    [InlineData("cordon-and-rma.yaml", "    timeout: 5m\n    retries: 2", "    timeout: 5m\n    retries: 2\nonFailure: gpu-reset", 21,
        "loop: cordon-and-rma -> gpu-reset -> driver-reload -> reboot -> cordon-and-rma")]
    [InlineData("gpu-reset.yaml", "onFailure: driver-reload", "onFailure: gpu-reset", 19, "loop: gpu-reset -> gpu-reset")]
    [InlineData("cordon-and-rma.yaml", "xids: [79]", "xids: [79, 4242]", 9, "'4242' is not an Xid in NVIDIA's catalog")]
    [InlineData("gpu-reset.yaml", "WORKFLOW_XID_48,", "WORKFLOW_XID_84,", 6, "'WORKFLOW_XID_84' is not a resolution bucket")]
    [InlineData("cordon-and-rma.yaml", "kinds: [row_remap]", "kinds: [row_remaps]", 8, "unknown fault kind 'row_remaps'")]
    [InlineData("reboot.yaml", "    action: reboot", "    action: reboot\n    risk: medium", 13, "risk must be 'low' or 'high'")]
    [InlineData("driver-reload.yaml", "name: driver-reload", "name: driver-reset", 1, "must match the file name")]
    [InlineData("fabric-manager-restart.yaml", "  - kinds: [fabric_manager]", "  - kinds: [fabric_manager]\n    fatal: true", 11,
        "sxids and fatal narrow a trigger of kinds: [sxid] only")]
    [InlineData("fabric-manager-restart.yaml", "fatal: true", "fatal: yes", 13, "'fatal' must be true or false")]
    [InlineData("reboot.yaml", "sxids: [10003,", "sxids: [SXid10003,", 9, "'SXid10003' is not an SXid number")]
    [InlineData("fabric-manager-restart.yaml", "burst: 5s", "burst: soon", 16, "'burst' must be a duration")]
    public void Broken_runbook_names_its_file_and_line(string file, string from, string to, int line, string reason)
    {
        using var runbooks = new EditedRunbooks((file, from, to));
        var error = Assert.Throws<RunbookFileException>(() => RunbookLoader.LoadDirectory(runbooks.Dir));
        Assert.Equal((runbooks.PathOf(file), line), (error.File, error.Line));
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Loop_is_blamed_on_a_runbook_in_the_loop()
    {
        using var runbooks = new EditedRunbooks(("reboot.yaml", "onFailure: cordon-and-rma", "onFailure: driver-reload"));
        var error = Assert.Throws<RunbookFileException>(() => RunbookLoader.LoadDirectory(runbooks.Dir));
        Assert.Equal((runbooks.PathOf("driver-reload.yaml"), 16), (error.File, error.Line));
        Assert.EndsWith("loop: driver-reload -> reboot -> driver-reload", error.Reason);
    }

    [Fact]
    public void Loop_reached_through_another_runbook_is_blamed_on_a_runbook_in_the_loop()
    {
        using var runbooks = new EditedRunbooks(
            ("reboot.yaml", "onFailure: cordon-and-rma", "onFailure: link-flap-recovery"),
            ("link-flap-recovery.yaml", "onFailure: cordon-and-rma", "onFailure: reboot"));
        var error = Assert.Throws<RunbookFileException>(() => RunbookLoader.LoadDirectory(runbooks.Dir));
        Assert.Equal((runbooks.PathOf("link-flap-recovery.yaml"), 22), (error.File, error.Line));
        Assert.EndsWith("loop: link-flap-recovery -> reboot -> link-flap-recovery", error.Reason);
    }

    // Command ids are incident/runbook/step/attempt and agents dedupe on them, so a second step of the same name
    // would be answered with the first one's result and never run.
    [Fact]
    public void Two_steps_of_one_name_are_refused()
    {
        using var runbooks = new EditedRunbooks(("gpu-reset.yaml", "  name: check-gpu", "  name: reset-gpu"));
        var error = Assert.Throws<RunbookFileException>(() => RunbookLoader.LoadDirectory(runbooks.Dir));
        Assert.Equal((runbooks.PathOf("gpu-reset.yaml"), 15), (error.File, error.Line));
        Assert.Contains("reset-gpu", error.Reason);
    }

    // YamlDotNet puts a tab that breaks indentation on the line before it, or on 1:1, and throws an unterminated flow
    // mapping without a position; the loader passes those on, so the error names the wrong line or line 0.
    [Theory]
    [InlineData("    retries: 1", "\tretries: 1", 13)]
    [InlineData("    timeout: 2m\n    retries", "\ttimeout: 2m\n    retries", 12)]
    [InlineData("args: { device: \"{device}\" }\n    timeout: 2m", "args: { device: \"{device}\"\n    timeout: 2m", 11)]
    public void Invalid_yaml_names_the_line_to_fix(string from, string to, int line)
    {
        using var runbooks = new EditedRunbooks(("gpu-reset.yaml", from, to));
        var error = Assert.Throws<RunbookFileException>(() => RunbookLoader.LoadDirectory(runbooks.Dir));
        Assert.Equal((runbooks.PathOf("gpu-reset.yaml"), line), (error.File, error.Line));
        Assert.StartsWith("invalid YAML", error.Reason);
    }
}
