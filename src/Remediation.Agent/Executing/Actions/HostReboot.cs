using Remediation.Agent.Running;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// How the agent reaches the host's systemd to reboot the node. <see cref="Systemctl"/>: <c>systemctl reboot</c>, for an
/// agent on the host (the systemd unit), or in a container with the host's <c>/run/systemd</c> mounted at
/// <c>/run/systemd</c>, where systemctl, as root, talks to the host's PID 1 over its private socket
/// (<c>/run/systemd/private</c>). <see cref="HostPid1"/>: the DaemonSet (hostPID, privileged) enters the namespaces of
/// the host's PID 1 with nsenter and runs the host's own systemctl there, so the image needs neither systemctl nor a
/// socket mount. Inside a container without either, <c>systemctl reboot</c> can only fail, and a failure says which.
/// </summary>
public enum RebootVia
{
    Systemctl,
    HostPid1,
}

public static class HostReboot
{
    public static readonly IReadOnlyDictionary<string, RebootVia> Names =
        new Dictionary<string, RebootVia>(StringComparer.Ordinal) { ["systemctl"] = RebootVia.Systemctl, ["host-pid1"] = RebootVia.HostPid1 };

    public static Argv Command(RebootVia via) => via switch
    {
        RebootVia.HostPid1 => Argv.Of("nsenter", "--target", "1", "--mount", "--uts", "--ipc", "--net", "--pid", "--", "systemctl", "reboot"),
        _ => Argv.Of("systemctl", "reboot"),
    };

    /// <summary>What a failed reboot command most likely means, for the step's output.</summary>
    public static string Hint(RebootVia via) => via switch
    {
        RebootVia.HostPid1 =>
            "nsenter into PID 1 needs the pod's hostPID: true and a privileged container (CAP_SYS_ADMIN, CAP_SYS_PTRACE); " +
            "without hostPID, PID 1 is the container's own",
        _ => "in a container, systemctl reaches the host's systemd only with the host's /run/systemd mounted at /run/systemd; " +
             "otherwise run the agent with --reboot-via host-pid1 (hostPID: true)",
    };
}
