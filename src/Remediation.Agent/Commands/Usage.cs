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

        options:
          -h, --help   print this help

        exit status: 0 on success, 2 on a usage error.

        """;
}
