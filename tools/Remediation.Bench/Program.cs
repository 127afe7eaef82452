using Remediation.Bench;
using Remediation.Cli;

const string Usage = """
    remediation-bench: measure the service under load against a raw RabbitMQ->PostgreSQL COPY baseline

    usage: remediation-bench [options]
      --scenario steady|max|leaf-storm|driver-bug|timeline|rebuild|commit|stats|all, comma-separated (all)
      --faults N (20000, max)  --nodes M (500)  --rate R faults/s (1000, steady and driver-bug)
      --duration S (10, steady and leaf-storm)  --burst-rate R (20000)  --burst-seconds S (3)
      --steady-rate R (100, under the driver-bug burst)
      --fleet N (12500, driver-bug)  --events N (1000000, timeline and rebuild)
      --out FILE (bench/results/latest.json)
      --rabbitmq URI (env REMEDIATION_RABBITMQ)  --postgres CONN (env REMEDIATION_POSTGRES)
    """;

return await CliHost.RunAsync("remediation-bench", Usage, args, commandRequired: false,
    (cli, ct) => BenchCommand.RunAsync(cli, Console.Out, ct));
