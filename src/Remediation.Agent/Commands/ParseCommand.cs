using System.Text.Json;
using Remediation.Agent.Detecting.KernelLog;
using Remediation.Contracts;

namespace Remediation.Agent.Commands;

/// <summary><c>remediation-agent parse</c>: kernel log lines in, one FaultDetected JSON line out per fault.</summary>
public sealed class ParseCommand(TimeProvider clock, string defaultNode)
{
    public int Run(IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter error)
    {
        if (!ParseOptions.TryRead(args, defaultNode, out var options, out var problem))
        {
            error.WriteLine($"remediation-agent parse: {problem}");
            error.Write(Usage.Text);
            return ExitCodes.Usage;
        }
        if (options.Help)
        {
            output.Write(Usage.Text);
            return ExitCodes.Ok;
        }

        var parser = new KernelLogParser(options.Node, options.Cluster, clock);
        var lines = new BoundedLineReader(input);
        while (lines.TryReadLine(out var line))
        {
            if (parser.Parse(line) is not { } fault) continue;
            output.WriteLine(JsonSerializer.Serialize(fault, WireJson.Options));
            // Downstream is often a pipe to a publisher following a live log: hand each fault over as it is found.
            output.Flush();
        }
        return ExitCodes.Ok;
    }
}
