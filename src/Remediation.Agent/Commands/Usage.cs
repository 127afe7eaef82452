namespace Remediation.Agent.Commands;

public static class Usage
{
    public const string Text = """
        usage: remediation-agent <command> [options]

        commands:
          parse [--node NODE] [--cluster NAME]
              Read kernel log lines on stdin (dmesg, dmesg -T, journalctl -k, syslog or raw
              /dev/kmsg records) and print one FaultDetected JSON object per line for each
              fault found. Lines that hold no fault print nothing.
                --node NODE      node id to report (default: this machine's host name)
                --cluster NAME   cluster name to report (default: none)

          run --rabbitmq URI|--rabbitmq-file FILE [--node NODE] [--cluster NAME] [--root DIR] [--state-dir DIR]
              [--poll 10s] [--reboot-via systemctl|host-pid1] [--dry-run] [--no-declare] [--no-kmsg]
              Watch nvidia-smi, InfiniBand/RoCE ports, PCIe links, /dev/kmsg and, on NVSwitch nodes,
              Fabric Manager; publish each new fault to remediation.faults with publisher confirms
              (spooled on disk while the broker is away); run the steps sent to queue
              remediation.agent.NODE and publish the results.
                --rabbitmq URI   broker (default: $REMEDIATION_RABBITMQ); its user should be the node id,
                                 which the agent sends as AMQP user_id and the service checks
                --rabbitmq-file FILE  read the broker URI from a file (per-node credentials)
                --root DIR       where the host's /sys, /proc and /dev are (default: /)
                --state-dir DIR  fault spool and step results (default: /var/lib/remediation-agent)
                --poll DURATION  detector interval (default: 10s)
                --reboot-via HOW how a reboot step reaches the host's systemd: systemctl (default; on the
                                 host, or a container with the host's /run/systemd mounted) or host-pid1
                                 (nsenter into PID 1's namespaces; a DaemonSet with hostPID: true)
                --dry-run        print and record each command instead of running it; report success
                --no-declare     consume a command queue the broker definitions created (least privilege)
                --no-kmsg        do not follow /dev/kmsg

        options:
          -h, --help   print this help

        exit status: 0 on success (run: on SIGTERM), 2 on a usage error.

        """;
}
