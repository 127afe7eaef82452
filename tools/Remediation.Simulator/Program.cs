using Remediation.Cli;
using Remediation.Simulator;

const string Usage = """
    remediation-simulator: run a fleet of fake agents, inject a realistic mix of faults, watch them remediated

    usage: remediation-simulator [options]
      --nodes N (64)  --step-ms MS (400)  --timeout S (120)  --show NODE (gpu-node-017)
      --ticket-port P: also answer the service's RMA webhook at http://127.0.0.1:P/
      --api URL (env REMEDIATION_API)  --token TOKEN (env REMEDIATION_TOKEN)  --rabbitmq URI (env REMEDIATION_RABBITMQ)
    """;

return await CliHost.RunAsync("remediation-simulator", Usage, args, commandRequired: false,
    (cli, ct) => SimulateCommand.RunAsync(cli, Console.Out, ct));
