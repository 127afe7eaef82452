using System.Diagnostics;

namespace Remediation.Faults.Harness;

/// <summary>
/// Restarts the local servers the way an operator would. Only `make faults` does this: it briefly disturbs everyone
/// else on this machine's PostgreSQL and RabbitMQ, unless FAULTS_RABBITMQ_NODE names a RabbitMQ node of the scenarios'
/// own (deploy/local/faults.sh starts one with --own-rabbitmq).
/// </summary>
public static class ServerControl
{
    private static readonly string[] Node =
        Environment.GetEnvironmentVariable("FAULTS_RABBITMQ_NODE") is { Length: > 0 } node ? ["-n", node] : [];

    public static async Task RestartRabbitMqAsync(TimeSpan down)
    {
        await StopRabbitMqAsync();
        await Task.Delay(down);
        await StartRabbitMqAsync();
    }

    public static Task StopRabbitMqAsync() => RunAsync("rabbitmqctl", [.. Node, "-q", "stop_app"]);

    public static async Task StartRabbitMqAsync()
    {
        await RunAsync("rabbitmqctl", [.. Node, "-q", "start_app"]);
        await RunAsync("rabbitmqctl", [.. Node, "-q", "await_startup"]);
    }

    public static async Task RestartPostgresAsync() => await RunAsync("service", "postgresql", "restart");

    /// <summary>PostgreSQL away for a while, as in a failover that takes minutes, not a quick restart.</summary>
    public static async Task StopPostgresAsync(TimeSpan down)
    {
        await RunAsync("service", "postgresql", "stop");
        await Task.Delay(down);
        await RunAsync("service", "postgresql", "start");
    }

    private static async Task RunAsync(string command, params string[] args)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? command : "sudo") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (!asRoot) start.ArgumentList.Add(command);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await errors}");
    }
}
