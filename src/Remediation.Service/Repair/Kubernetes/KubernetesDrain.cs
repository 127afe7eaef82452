using System.Net;
using k8s;
using k8s.Models;

namespace Remediation.Service.Repair.Kubernetes;

/// <summary>
/// Evicts a node's pods through the Eviction API, the way `kubectl drain` does by default, so PodDisruptionBudgets
/// hold: a 429 means a budget forbids the eviction now, and it is retried with backoff until the drain's deadline.
/// DaemonSet pods (they would come straight back), mirror pods (the kubelet owns them), finished pods and pods
/// already terminating stay. Like kubectl, it evicts nothing while a pod no controller owns or a pod with emptyDir
/// data is on the node, unless configured to (<see cref="KubernetesOptions.Force"/>,
/// <see cref="KubernetesOptions.DeleteEmptyDirData"/>). Work that does not leave in time is "still draining", not a failure.
/// </summary>
public sealed class KubernetesDrain(IKubernetes client, KubernetesOptions options, TimeProvider time)
{
    public async Task<SchedulerResult> DrainAsync(string node, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + options.DrainTimeout;
        var pods = await EvictableAsync(node, ct);
        if (pods.Count == 0) return SchedulerResult.Ok("no pods to evict");
        if (Refusal(pods) is { } refusal) return SchedulerResult.Failed($"drain of {node} refused, as kubectl drain would: {refusal}");

        var results = await Task.WhenAll(pods.Select(p => EvictAsync(p, deadline, ct)));
        var failures = results.Where(r => r.Failure is not null).ToList();
        if (failures.Count > 0)
        {
            var said = $"drain of {node} failed: {string.Join("; ", failures.Select(f => f.Failure))}";
            return failures.All(f => f.Blocked) ? SchedulerResult.StillDraining(said) : SchedulerResult.Failed(said);
        }

        // An accepted eviction only starts graceful termination; the node is drained when the pods are gone.
        var evicted = pods.Select(p => p.Metadata.Uid).ToHashSet();
        for (var delay = options.RetryDelay; ; delay = Next(delay))
        {
            var left = (await PodsAsync(node, ct)).Where(p => evicted.Contains(p.Metadata.Uid)).Select(Name).ToList();
            if (left.Count == 0) return SchedulerResult.Ok($"evicted {pods.Count} pod(s): {string.Join(", ", pods.Select(Name))}");
            if (time.GetUtcNow() + delay > deadline)
                return SchedulerResult.StillDraining($"drain of {node} timed out after {options.DrainTimeout}: evicted pods still terminating: {string.Join(", ", left)}");
            await Task.Delay(delay, time, ct);
        }
    }

    private string? Refusal(IReadOnlyList<V1Pod> pods)
    {
        var reasons = new List<string>();
        var bare = pods.Where(p => p.Metadata.OwnerReferences?.Any(o => o.Controller == true) != true).Select(Name).ToList();
        if (bare.Count > 0 && !options.Force)
            reasons.Add($"pods no controller owns would be lost: {string.Join(", ", bare)} (Scheduler:Kubernetes:Force=true evicts them)");
        var local = pods.Where(p => p.Spec?.Volumes?.Any(v => v.EmptyDir is not null) == true).Select(Name).ToList();
        if (local.Count > 0 && !options.DeleteEmptyDirData)
            reasons.Add($"pods with emptyDir data would lose it: {string.Join(", ", local)} (Scheduler:Kubernetes:DeleteEmptyDirData=true evicts them)");
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    private sealed record Eviction(string? Failure, bool Blocked = false);

    private async Task<Eviction> EvictAsync(V1Pod pod, DateTimeOffset deadline, CancellationToken ct)
    {
        var eviction = new V1Eviction { Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty } };
        for (var (attempt, delay) = (1, options.RetryDelay); ; attempt++, delay = Next(delay))
        {
            try
            {
                await KubernetesCalls.CallAsync($"evicting {Name(pod)}",
                    () => client.CoreV1.CreateNamespacedPodEvictionAsync(eviction, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct));
                return new Eviction(null);
            }
            catch (SchedulerException e) when (KubernetesCalls.Status(e) == HttpStatusCode.NotFound)
            {
                return new Eviction(null);
            }
            catch (SchedulerException e) when (KubernetesCalls.Status(e) == HttpStatusCode.TooManyRequests)
            {
                if (time.GetUtcNow() + delay > deadline)
                    return new Eviction(
                        $"evicting {Name(pod)} is still blocked by a PodDisruptionBudget after {attempt} attempts over {options.DrainTimeout} ({e.Message})",
                        Blocked: true);
                await Task.Delay(delay, time, ct);
            }
            catch (SchedulerException e)
            {
                return new Eviction(e.Message);
            }
        }
    }

    private async Task<List<V1Pod>> EvictableAsync(string node, CancellationToken ct) => (await PodsAsync(node, ct)).Where(Evictable).ToList();

    private async Task<IList<V1Pod>> PodsAsync(string node, CancellationToken ct) =>
        (await KubernetesCalls.CallAsync($"listing the pods on {node}",
            () => client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}", cancellationToken: ct))).Items;

    private static bool Evictable(V1Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed")
        && pod.Metadata.DeletionTimestamp is null
        && pod.GetAnnotation("kubernetes.io/config.mirror") is null
        && pod.Metadata.OwnerReferences?.Any(o => o.Kind == "DaemonSet" && o.Controller == true) != true;

    private TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));

    private static string Name(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
}
