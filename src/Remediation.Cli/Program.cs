using Remediation.Cli;
using Remediation.Cli.Commands;
using Remediation.Core.Runbooks;

const string Usage = """
    remediation: operate the GPU fleet remediation service

    usage: remediation COMMAND [options]

    commands:
      nodes                 list nodes with their state, open incident and step in flight, and the counts by state:
                              every node, or those the filters match (all filters together)
                              --status STATE (Healthy, NeedsHuman, ...)  --kind KIND|xid:N (the open incident's fault)
                              --rack R  --switch S (Storm:TopologyFile)  --q TEXT (part of the node id)
                              --limit N: the first N (all)  --after NODE: those after NODE, by id (go on from "more:")
      timeline NODE         print a node's timeline, oldest event first   [--since TIME|30m|2h|7d] [--incident ID]
      approvals             list risky steps waiting for an operator
      approve APPROVAL_ID   let the waiting step run (recorded with your operator name)
      reject APPROVAL_ID    refuse it: the node goes to NeedsHuman, nothing runs   --reason TEXT (required)
      pause                 stop executing steps fleet-wide; decisions are still recorded   --reason TEXT (required)
      resume                execute again; steps deferred by the pause are dispatched   [--reason TEXT]
      hold NODE             take a node away from automation (it becomes NeedsHuman)   --reason TEXT (required)
      release NODE          hand a NeedsHuman node back to automation   --reason TEXT (required)
      rma-closed NODE       the node's RMA ticket is closed: verify it, uncordon it, return it   --resolution TEXT (required)
      incidents             list recent incidents, newest first   [--node NODE]
      stats                 which runbooks work: incidents by runbook and fault, first-rung fixes, escalations,
                              handed to a human, RMAs, time to recovery, failing steps, lemons   [--since 7d|24h|TIME]
      postmortem INCIDENT   write the incident's Markdown postmortem (timings, steps, approvals, evidence)   [--out FILE]
      simulate              run a fleet of fake agents, inject a realistic mix of faults, watch them remediated
                              --nodes N (64)  --step-ms MS (400)  --timeout S (120)  --show NODE (gpu-node-017)
                              --ticket-port P: also answer the service's RMA webhook at http://127.0.0.1:P/
      replay                decide the recorded faults again with changed runbooks and print what would differ;
                              executes and writes nothing   --runbooks DIR (required)  --since TIME|AGE (24h)
                              --baseline DIR (the repository's runbooks/)  --node NODE  --schema NAME (remediation)
      bench                 measure the service under load against a raw RabbitMQ->PostgreSQL COPY baseline
                              --scenario steady|max|leaf-storm|driver-bug|timeline|rebuild|commit|stats|all, comma-separated (all)
                              --faults N (20000, max)  --nodes M (500)  --rate R faults/s (1000, steady and driver-bug)
                              --duration S (10, steady and leaf-storm)  --burst-rate R (20000)  --burst-seconds S (3)
                              --steady-rate R (100, under the driver-bug burst)
                              --fleet N (12500, driver-bug)  --events N (1000000, timeline and rebuild)
                              --out FILE (bench/results/latest.json)
    options:
      --api URL             the service (env REMEDIATION_API, default http://127.0.0.1:5080)
      --token TOKEN         an operator token from the service's Api:Tokens (env REMEDIATION_TOKEN)
      --rabbitmq URI        amqp:// URI (env REMEDIATION_RABBITMQ)
      --postgres CONN       Npgsql connection string, replay and bench (env REMEDIATION_POSTGRES)
    """;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
if (args.Length == 0 || args[0] is "help" or "--help" or "-h" || args.Contains("--help")) return Help(0);
try
{
    var cli = new CliArgs(args);
    return cli.Positional.FirstOrDefault() switch
    {
        "nodes" => await NodesCommand.RunAsync(cli, Console.Out, cts.Token),
        "timeline" => await TimelineCommand.RunAsync(cli, Console.Out, cts.Token),
        "approvals" => await OperatorCommands.ApprovalsAsync(cli, Console.Out, cts.Token),
        "approve" => await OperatorCommands.DecideAsync(cli, approve: true, Console.Out, cts.Token),
        "reject" => await OperatorCommands.DecideAsync(cli, approve: false, Console.Out, cts.Token),
        "pause" => await OperatorCommands.PauseAsync(cli, pause: true, Console.Out, cts.Token),
        "resume" => await OperatorCommands.PauseAsync(cli, pause: false, Console.Out, cts.Token),
        "hold" => await OperatorCommands.HoldAsync(cli, hold: true, Console.Out, cts.Token),
        "release" => await OperatorCommands.HoldAsync(cli, hold: false, Console.Out, cts.Token),
        "rma-closed" => await OperatorCommands.RmaClosedAsync(cli, Console.Out, cts.Token),
        "incidents" => await IncidentsCommand.RunAsync(cli, Console.Out, cts.Token),
        "postmortem" => await PostmortemCommand.RunAsync(cli, Console.Out, cts.Token),
        "stats" => await StatsCommand.RunAsync(cli, Console.Out, cts.Token),
        "simulate" => await SimulateCommand.RunAsync(cli, Console.Out, cts.Token),
        "replay" => await ReplayCommand.RunAsync(cli, Console.Out, cts.Token),
        "bench" => await BenchCommand.RunAsync(cli, Console.Out, cts.Token),
        _ => Help(2),
    };
}
catch (CliException e)
{
    await Console.Error.WriteLineAsync($"remediation: {e.Message}");
    return 2;
}
catch (RunbookFileException e)
{
    await Console.Error.WriteLineAsync($"remediation: {e.Message}");
    return 2;
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("remediation: stopped");
    return 130;
}

static int Help(int code)
{
    (code == 0 ? Console.Out : Console.Error).WriteLine(Usage);
    return code;
}
