using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Remediation.Service.Repair.Kubernetes;

/// <summary>
/// Cordons (spec.unschedulable), drains through the Eviction API and uncordons. The annotation
/// <see cref="CordonedByAnnotation"/> records that remediation cordoned the node and why; a node cordoned without
/// it was cordoned by someone else and is never uncordoned here.
/// </summary>
public sealed class KubernetesScheduler(IKubernetes client, KubernetesDrain drain) : IScheduler
{
    public const string CordonedByAnnotation = "remediation.gpu/cordoned-by";

    public async Task<SchedulerResult> CordonAsync(string node, string reason, CancellationToken ct)
    {
        if (SchedulerInput.Problem(node, reason) is { } problem) return SchedulerResult.Failed(problem);
        try
        {
            var current = await ReadAsync(node, ct);
            var cordoned = current.Spec?.Unschedulable == true;
            var owner = current.GetAnnotation(CordonedByAnnotation);
            string said;
            if (cordoned && owner != reason)
            {
                // Someone else's cordon stays theirs: claiming it would let a later uncordon undo their decision.
                said = $"{node} was already cordoned by {(owner is null ? "someone else" : $"remediation for '{owner}'")}; left their cordon as it is";
            }
            else
            {
                await PatchAsync(current, unschedulable: true, owner: reason, ct);
                said = $"{node} cordoned ({CordonedByAnnotation}={reason})";
            }
            var drained = await drain.DrainAsync(node, ct);
            return drained with { Output = $"{said}; {drained.Output}" };
        }
        catch (SchedulerException e)
        {
            return SchedulerResult.Failed(e.Message);
        }
    }

    public async Task<SchedulerResult> UncordonAsync(string node, string reason, CancellationToken ct)
    {
        if (SchedulerInput.Problem(node, reason) is { } problem) return SchedulerResult.Failed(problem);
        try
        {
            var current = await ReadAsync(node, ct);
            var owner = current.GetAnnotation(CordonedByAnnotation);
            if (current.Spec?.Unschedulable != true) return SchedulerResult.Ok($"{node} is not cordoned; nothing to uncordon");
            if (owner is null)
                return SchedulerResult.Failed($"refusing to uncordon {node}: it was cordoned by someone else (no {CordonedByAnnotation} annotation)");
            if (owner != reason)
                return SchedulerResult.Failed($"refusing to uncordon {node}: remediation cordoned it for '{owner}', not for '{reason}'");
            await PatchAsync(current, unschedulable: false, owner: null, ct);
            return SchedulerResult.Ok($"{node} uncordoned");
        }
        catch (SchedulerException e)
        {
            return SchedulerResult.Failed(e.Message);
        }
    }

    public async Task<SchedulerNodeState> GetAsync(string node, CancellationToken ct)
    {
        if (SchedulerInput.Problem(node, "read") is { } problem) throw new SchedulerException(problem);
        var current = await ReadAsync(node, ct);
        var cordoned = current.Spec?.Unschedulable == true;
        var ready = current.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True" ? "Ready" : "NotReady";
        return new SchedulerNodeState(node, cordoned ? $"{ready},SchedulingDisabled" : ready, cordoned, current.GetAnnotation(CordonedByAnnotation));
    }

    private Task<V1Node> ReadAsync(string node, CancellationToken ct) =>
        KubernetesCalls.CallAsync($"reading node {node}", () => client.CoreV1.ReadNodeAsync(node, cancellationToken: ct));

    // A merge patch carrying the resourceVersion that was read: the API server refuses it (409) if the node changed
    // in between, so an operator's cordon made a moment ago is never overwritten by a decision taken on a stale read.
    private async Task PatchAsync(V1Node current, bool unschedulable, string? owner, CancellationToken ct)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = current.Metadata.ResourceVersion,
                ["annotations"] = new JsonObject { [CordonedByAnnotation] = owner },
            },
            ["spec"] = new JsonObject { ["unschedulable"] = unschedulable },
        };
        var name = current.Metadata.Name;
        try
        {
            await KubernetesCalls.CallAsync($"patching node {name}",
                () => client.CoreV1.PatchNodeAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), name, cancellationToken: ct));
        }
        catch (SchedulerException e) when (KubernetesCalls.Status(e) == HttpStatusCode.Conflict)
        {
            throw new SchedulerException($"node {name} changed while remediation was deciding; nothing was changed, try again ({e.Message})", e);
        }
    }
}
