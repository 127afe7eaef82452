using System.Text.Json.Nodes;

namespace Remediation.Tests.Deploy;

/// <summary>
/// The collector the service ships with, and the one the bench measures: the server GC without background collections,
/// whose marking threads stalled every input for hundreds of milliseconds on a small machine (Remediation.Service.csproj).
/// </summary>
public sealed class GarbageCollectorTests
{
    [Theory]
    [InlineData("Remediation.Service.runtimeconfig.json")]
    [InlineData("remediation-bench.runtimeconfig.json")]
    public void Runs_the_server_collector_without_background_collections(string runtimeConfig)
    {
        var properties = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, runtimeConfig)))!["runtimeOptions"]!["configProperties"]!;
        Assert.True((bool)properties["System.GC.Server"]!);
        Assert.False((bool)properties["System.GC.Concurrent"]!);
    }
}
