using System.Text.Json.Nodes;

namespace Remediation.Tests.Deploy;

/// <summary>
/// The bench measures the collector the service ships with: as a console project it ran the workstation GC while the
/// service (a Web SDK project) runs the server GC, and the warm drain differed by 40 to 60 %.
/// </summary>
public sealed class GarbageCollectorTests
{
    [Theory]
    [InlineData("System.GC.Server", false)]
    [InlineData("System.GC.Concurrent", true)]
    public void The_bench_runs_the_services_collector(string setting, bool runtimeDefault)
    {
        Assert.Equal(Setting("Remediation.Service.runtimeconfig.json", setting, runtimeDefault), Setting("remediation-bench.runtimeconfig.json", setting, runtimeDefault));
    }

    [Fact]
    public void The_service_runs_the_server_collector() => Assert.True(Setting("Remediation.Service.runtimeconfig.json", "System.GC.Server", false));

    private static bool Setting(string runtimeConfig, string name, bool runtimeDefault)
    {
        var properties = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, runtimeConfig)))!["runtimeOptions"]!["configProperties"];
        return properties?[name] is { } value ? (bool)value : runtimeDefault;
    }
}
