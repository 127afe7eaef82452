using Remediation.Agent.Detecting;
using Remediation.Agent.Detecting.Dcgm;
using Remediation.Agent.Detecting.Fabric;
using Remediation.Agent.Detecting.Gpu;
using Remediation.Agent.Detecting.Pcie;
using Remediation.Agent.Devices;
using Remediation.Agent.Executing;
using Remediation.Agent.Publishing;
using Remediation.Agent.Running;

namespace Remediation.Agent.Hosting;

/// <summary>Wires the detectors, executor, spool and broker loop the <c>run</c> command starts.</summary>
public static class AgentBuilder
{
    public static AgentHost Build(AgentOptions options, ICommandRunner probes, TextWriter log, TimeProvider clock, Func<Uri>? broker = null)
    {
        var root = new HostRoot(options.Root);
        var context = new DetectorContext(root, options.NodeId, options.Cluster, probes, clock);
        IDetector[] detectors =
        [
            new NvidiaSmiDetector(context), new DcgmHealthDetector(context), new InfinibandDetector(context), new PcieDetector(context),
            new FabricManagerDetector(context),
        ];
        ICommandRunner actions = options.DryRun ? new DryRunCommandRunner(log) : probes;
        var pause = new DetectorPause();
        var executor = new StepExecutor(options.NodeId, root, actions, options.DryRun, new ResultStore(options.StateDir), clock, detectors: pause,
            rebootVia: options.RebootVia);
        return new AgentHost(options.NodeId, options.Poll, options.DeclareQueue, detectors, executor,
            new FaultSpool(options.StateDir), broker ?? (() => options.Broker), log, clock, pause);
    }
}
