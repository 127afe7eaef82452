using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

/// <summary>gpu_health with <c>diag</c>, the verification after a driver reload: CUDA must run, not only nvidia-smi answer.</summary>
public sealed class CudaCheckTests : IDisposable
{
    private readonly HostTree _host = HostTree.Copy();
    private readonly FakeRunner _runner = FakeRunner.OnL4Node();
    private readonly string _state = StateDir();

    private static string Fixture(string path) => File.ReadAllText(Path.Combine(Fixtures.Folder, path));

    private Task<StepCompleted> Verify() =>
        Executor(_host, _runner, _state).ExecuteAsync(Step("gpu_health", new() { ["device"] = "all", ["diag"] = "1" }) with { Deadline = Now.AddMinutes(5) }, default);

    private void Dcgmi(CommandResult result) => _runner.When(a => a.File == "dcgmi", result);

    private void DeviceQuery(CommandResult result) => _runner.When(a => a.File == "deviceQuery", result);

    [Fact]
    public async Task A_passing_dcgmi_diag_level_1_verifies_cuda()
    {
        Dcgmi(new CommandResult(0, Fixture("dcgmi/diag-r1-pass-a10g-dcgm339.txt")));

        var result = await Verify();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(["nvidia-smi -q -x", "dcgmi diag -r 1 -j"], _runner.Lines);
        Assert.Contains("dcgmi diag -r 1: no test failed", result.Output);
    }

    [Fact]
    public async Task A_failing_dcgmi_diag_fails_the_verification_in_dcgms_words()
    {
        Dcgmi(new CommandResult(226, Fixture("dcgmi/diag-r1-deployment-fail-prolog.txt")));

        var result = await Verify();

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("dcgmi diag -r 1 failed:\nPersistence Mode: Fail\nEnvironment Variables: Fail", result.Output);
        Assert.DoesNotContain(_runner.Calls, a => a.File == "deviceQuery");
    }

    [Fact]
    public async Task A_failing_dcgmi_diag_json_names_the_gpu_and_dcgms_message()
    {
        Dcgmi(new CommandResult(226, Fixture("dcgmi/diag-j-memtest-fail-dcgm4.json")));

        var result = await Verify();

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("dcgmi diag -r 1 failed:\nmemtest: Fail (GPU 0: Temperature 1000 of GPU 0 exceeded user-specified maximum allowed temperature 87)",
            result.Output);
    }

    [Fact]
    public async Task A_diagnostic_dcgm_could_not_start_says_why_and_falls_back_to_deviceQuery()
    {
        Dcgmi(new CommandResult(226, "{\"DCGM Diagnostic\" : {\"runtime_error\" : \"GPU 2's MIG configuration is incompatible with the diagnostic " +
            "because it prevents access to the entire GPU.\", \"version\" : \"4.6.0\"}}"));
        DeviceQuery(new CommandResult(0, Fixture("cuda/devicequery-rtx3090-cuda118.txt")
            .Replace("Detected 1 CUDA Capable device(s)", "Detected 2 CUDA Capable device(s)")));

        var result = await Verify();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("dcgmi diag did not run: GPU 2's MIG configuration is incompatible", result.Output);
        Assert.Contains("deviceQuery: 2 CUDA device(s), Result = PASS", result.Output);
    }

    [Fact]
    public async Task Without_a_host_engine_deviceQuery_must_see_every_gpu()
    {
        Dcgmi(new CommandResult(255, "Error: unable to establish a connection to the specified host: localhost\n" +
            "Error: Unable to connect to host engine. Host engine connection invalid/disconnected.\n"));
        DeviceQuery(new CommandResult(0, Fixture("cuda/devicequery-rtx3090-cuda118.txt")));

        var result = await Verify();

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("dcgmi diag did not run: Error: Unable to connect to host engine.", result.Output);
        Assert.Contains("CUDA sees 1 of the 2 GPU(s) nvidia-smi sees", result.Output);
    }

    [Fact]
    public async Task DeviceQuery_passing_for_every_gpu_verifies_cuda()
    {
        Dcgmi(new CommandResult(127, "cannot start dcgmi: No such file or directory"));
        DeviceQuery(new CommandResult(0, Fixture("cuda/devicequery-rtx3090-cuda118.txt")
            .Replace("Detected 1 CUDA Capable device(s)", "Detected 2 CUDA Capable device(s)")));

        var result = await Verify();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("deviceQuery: 2 CUDA device(s), Result = PASS", result.Output);
    }

    [Fact]
    public async Task DeviceQuery_without_a_cuda_device_fails()
    {
        Dcgmi(new CommandResult(127, "cannot start dcgmi: No such file or directory"));
        DeviceQuery(new CommandResult(1, "./deviceQuery Starting...\n\n CUDA Device Query (Runtime API) version (CUDART static linking)\n\n" +
            "cudaGetDeviceCount returned 100\n-> no CUDA-capable device is detected\nResult = FAIL\n"));

        var result = await Verify();

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("deviceQuery failed: cudaGetDeviceCount returned 100 -> no CUDA-capable device is detected Result = FAIL", result.Output);
    }

    [Fact]
    public async Task With_neither_tool_the_check_says_cuda_was_not_probed()
    {
        Dcgmi(new CommandResult(127, "cannot start dcgmi: No such file or directory"));
        DeviceQuery(new CommandResult(127, "cannot start deviceQuery: No such file or directory"));

        var result = await Verify();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("CUDA not probed: neither dcgmi diag nor deviceQuery", result.Output);
    }

    [Fact]
    public async Task On_an_NVSwitch_system_fabric_manager_must_be_active()
    {
        _host.Write("/proc/driver/nvidia-nvswitch/devices/0000:05:00.0/information", "Fabric Manager state: Active");
        _runner.WhenArgs("is-active nvidia-fabricmanager", new CommandResult(3, "inactive\n"));
        Dcgmi(new CommandResult(0, Fixture("dcgmi/diag-r1-pass-a10g-dcgm339.txt")));

        var result = await Verify();

        Assert.Equal(StepOutcomes.Failed, result.Outcome);
        Assert.Contains("nvidia-fabricmanager is not active", result.Output);
    }

    [Fact]
    public async Task A_diag_level_that_is_not_one_is_refused() =>
        Assert.Equal(StepOutcomes.Failed, (await Executor(_host, _runner, _state)
            .ExecuteAsync(Step("gpu_health", new() { ["device"] = "all", ["diag"] = "1; reboot" }), default)).Outcome);

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
