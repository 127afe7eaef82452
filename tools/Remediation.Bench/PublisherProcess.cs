using System.Diagnostics;
using System.Text.Json;
using Remediation.Cli;
using Remediation.Simulator;

namespace Remediation.Bench;

/// <summary>
/// The driver-bug burst offered from a process of its own. In the bench's process the publishers share the thread
/// pool and the two cores with the service they load, and offered no more than it drained (309 of 20,000 faults a
/// second asked, at load 26). <c>remediation-bench publish</c> serializes the burst, says <c>ready</c>, offers it on
/// the next line of its input and prints the <see cref="OfferedLoad"/> as one JSON line.
/// </summary>
public static class PublisherProcess
{
    public const string Command = "publish";

    /// <summary>
    /// The scenario's side: starts the publisher and, once it has its bodies ready, awaits <paramref name="ready"/>
    /// (which sets up what the burst is measured against) and lets it go; returns what it offered.
    /// </summary>
    public static async Task<OfferedLoad> OfferAsync(BenchContext c, Func<Task> ready, CancellationToken ct)
    {
        var s = c.Scale;
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(PublisherProcess).Assembly.Location, Command, "--rabbitmq", c.RabbitMq, "--burst-rate", $"{s.BurstRate}",
                     "--burst-seconds", $"{s.BurstSeconds}", "--fleet", $"{s.Fleet}", "--publishers", $"{s.Publishers}" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the publisher process did not start");
        try
        {
            if (await process.StandardOutput.ReadLineAsync(ct) != "ready") throw new InvalidOperationException("the publisher process did not get ready");
            await ready();
            await process.StandardInput.WriteLineAsync("go".AsMemory(), ct);
            await process.StandardInput.FlushAsync(ct);
            var result = await process.StandardOutput.ReadLineAsync(ct) ?? throw new InvalidOperationException("the publisher process ended without a result");
            await process.WaitForExitAsync(ct);
            return JsonSerializer.Deserialize<OfferedLoad>(result)!;
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    /// <summary>The publisher's side: <c>remediation-bench publish</c> with the driver-bug options.</summary>
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, TextReader input, CancellationToken ct)
    {
        var scale = BenchScale.From(args);
        var rabbitMq = args.RabbitMq;
        var bodies = Enumerable.Range(0, scale.BurstRate * scale.BurstSeconds).Select(i => BenchWorkload.DriverBug(i, scale.Fleet)).ToArray();
        await using var bus = await BrokerConnections.Factory(rabbitMq, "remediation-bench-publish").CreateConnectionAsync(ct);
        var context = new BenchContext(bus, args.Postgres, rabbitMq, scale, output);
        await output.WriteLineAsync("ready");
        await output.FlushAsync(ct);
        await input.ReadLineAsync(ct);
        var offered = await BenchLoad.OfferAsync(context, scale.BurstRate, TimeSpan.FromSeconds(scale.BurstSeconds), i => bodies[i], ct, scale.Publishers);
        await output.WriteLineAsync(JsonSerializer.Serialize(offered));
        await output.FlushAsync(ct);
        return 0;
    }
}
