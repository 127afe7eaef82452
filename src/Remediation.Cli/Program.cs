using Remediation.Cli;
using Remediation.Cli.Commands;

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
      replay                decide the recorded faults again with changed runbooks and print what would differ;
                              executes and writes nothing   --runbooks DIR (required)  --since TIME|AGE (24h)
                              --baseline DIR (the repository's runbooks/)  --node NODE  --schema NAME (remediation)
    options:
      --api URL             the service (env REMEDIATION_API, default http://127.0.0.1:5080)
      --token TOKEN         an operator token from the service's Api:Tokens (env REMEDIATION_TOKEN)
      --postgres CONN       Npgsql connection string, replay (env REMEDIATION_POSTGRES)

    a simulated fleet (make demo) and the load bench (make bench) are tools/Remediation.Simulator and tools/Remediation.Bench
    """;

return await CliHost.RunAsync("remediation", Usage, args, commandRequired: true, (cli, ct) => cli.Positional.FirstOrDefault() switch
{
    "nodes" => NodesCommand.RunAsync(cli, Console.Out, ct),
    "timeline" => TimelineCommand.RunAsync(cli, Console.Out, ct),
    "approvals" => OperatorCommands.ApprovalsAsync(cli, Console.Out, ct),
    "approve" => OperatorCommands.DecideAsync(cli, approve: true, Console.Out, ct),
    "reject" => OperatorCommands.DecideAsync(cli, approve: false, Console.Out, ct),
    "pause" => OperatorCommands.PauseAsync(cli, pause: true, Console.Out, ct),
    "resume" => OperatorCommands.PauseAsync(cli, pause: false, Console.Out, ct),
    "hold" => OperatorCommands.HoldAsync(cli, hold: true, Console.Out, ct),
    "release" => OperatorCommands.HoldAsync(cli, hold: false, Console.Out, ct),
    "rma-closed" => OperatorCommands.RmaClosedAsync(cli, Console.Out, ct),
    "incidents" => IncidentsCommand.RunAsync(cli, Console.Out, ct),
    "postmortem" => PostmortemCommand.RunAsync(cli, Console.Out, ct),
    "stats" => StatsCommand.RunAsync(cli, Console.Out, ct),
    "replay" => ReplayCommand.RunAsync(cli, Console.Out, ct),
    _ => Task.FromResult(CliHost.Help(Usage, 2)),
});
