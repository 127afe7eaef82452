using Remediation.Agent.Executing.Actions;

namespace Remediation.Agent.Hosting;

public sealed record AgentOptions(
    string NodeId,
    string? Cluster,
    Uri Broker,
    string Root,
    string StateDir,
    TimeSpan Poll,
    bool DryRun,
    bool DeclareQueue,
    bool FollowKmsg,
    RebootVia RebootVia = RebootVia.Systemctl);
