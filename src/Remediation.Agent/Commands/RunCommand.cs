using System.Runtime.InteropServices;
using Remediation.Agent.Detecting.KernelLog;
using Remediation.Agent.Devices;
using Remediation.Agent.Hosting;
using Remediation.Agent.Running;

namespace Remediation.Agent.Commands;

/// <summary><c>remediation-agent run</c>: detect, publish, execute, until SIGTERM or Ctrl-C.</summary>
public sealed class RunCommand(TimeProvider clock, string defaultNode)
{
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            output.Write(Usage.Text);
            return ExitCodes.Ok;
        }
        if (!RunOptions.TryRead(args, defaultNode, Environment.GetEnvironmentVariable("REMEDIATION_RABBITMQ"), out var options, out var problem))
        {
            error.WriteLine($"remediation-agent run: {problem}");
            error.Write(Usage.Text);
            return ExitCodes.Usage;
        }

        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        var host = AgentBuilder.Build(options, new ProcessCommandRunner(), error, clock);
        error.WriteLine($"remediation-agent: node {options.NodeId}, root {options.Root}, state {options.StateDir}, poll {options.Poll}{(options.DryRun ? ", DRY RUN" : "")}");
        var tasks = new List<Task> { host.RunAsync(stop.Token) };
        if (options.FollowKmsg)
            tasks.Add(new KmsgFollower(new HostRoot(options.Root), options.NodeId, options.Cluster, clock, error).RunAsync(host.ReportAsync, stop.Token));
        try
        {
            Task.WhenAll(tasks).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // SIGTERM: everything not confirmed is in the spool for next time.
        }
        return ExitCodes.Ok;
    }
}
