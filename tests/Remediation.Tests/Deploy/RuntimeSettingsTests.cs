using System.Text.Json.Nodes;

namespace Remediation.Tests.Deploy;

/// <summary>
/// The bench measures the runtime the service ships with: as a console project it ran the workstation GC while the
/// service (a Web SDK project) runs the server GC, and the warm drain differed by 40 to 60 %. The service shares its
/// cores with the broker and the database, so it runs without the thread pool's spin-wait and with a fixed GC heap count.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private const string Service = "Remediation.Service.runtimeconfig.json";

    [Theory]
    [InlineData("System.GC.Server", "false")]
    [InlineData("System.GC.Concurrent", "true")]
    [InlineData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "")]
    [InlineData("System.GC.DynamicAdaptationMode", "")]
    public void The_bench_runs_the_services_runtime(string setting, string runtimeDefault)
    {
        Assert.Equal(Setting(Service, setting, runtimeDefault), Setting("remediation-bench.runtimeconfig.json", setting, runtimeDefault));
    }

    [Fact]
    public void The_service_runs_the_server_collector() => Assert.Equal("true", Setting(Service, "System.GC.Server", "false"));

    [Fact]
    public void The_service_leaves_its_cores_to_the_servers_beside_it()
    {
        Assert.Equal("0", Setting(Service, "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "the runtime's default"));
        Assert.Equal("0", Setting(Service, "System.GC.DynamicAdaptationMode", "the runtime's default"));
    }

    private static string Setting(string runtimeConfig, string name, string runtimeDefault)
    {
        var properties = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, runtimeConfig)))!["runtimeOptions"]!["configProperties"];
        return properties?[name] is { } value ? value.ToJsonString() : runtimeDefault;
    }
}
