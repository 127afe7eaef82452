using System.Net;
using k8s;
using k8s.Models;

namespace Remediation.Service.Cluster.Kubernetes;

/// <summary>
/// Evicts a node's pods through the Eviction API, the way `kubectl drain` does, so PodDisruptionBudgets hold:
/// a 429 means a budget forbids the eviction now, and it is retried with backoff until the drain's deadline.
/// DaemonSet pods (they would come straight back), mirror pods (the kubelet owns them) and finished pods stay.
/// </summary>
public sealed class KubernetesDrain(IKubernetes client, KubernetesOptions options, TimeProvider time)
{
    public async Task<SchedulerResult> DrainAsync(string node, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + options.DrainTimeout;
        var pods = await EvictableAsync(node, ct);
        if (pods.Count == 0) return SchedulerResult.Ok("no pods to evict");

        var failures = (await Task.WhenAll(pods.Select(p => EvictAsync(p, deadline, ct)))).OfType<string>().ToList();
        if (failures.Count > 0) return SchedulerResult.Failed($"drain of {node} failed: {string.Join("; ", failures)}");

        // An accepted eviction only starts graceful termination; the node is drained when the pods are gone.
        var evicted = pods.Select(p => p.Metadata.Uid).ToHashSet();
        for (var delay = options.RetryDelay; ; delay = Next(delay))
        {
            var left = (await EvictableAsync(node, ct)).Where(p => evicted.Contains(p.Metadata.Uid)).Select(Name).ToList();
            if (left.Count == 0) return SchedulerResult.Ok($"evicted {pods.Count} pod(s): {string.Join(", ", pods.Select(Name))}");
            if (time.GetUtcNow() + delay > deadline)
                return SchedulerResult.Failed($"drain of {node} timed out after {options.DrainTimeout}: evicted pods still terminating: {string.Join(", ", left)}");
            await Task.Delay(delay, time, ct);
        }
    }

    private async Task<string?> EvictAsync(V1Pod pod, DateTimeOffset deadline, CancellationToken ct)
    {
        var eviction = new V1Eviction { Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty } };
        for (var (attempt, delay) = (1, options.RetryDelay); ; attempt++, delay = Next(delay))
        {
            try
            {
                await KubernetesCalls.CallAsync($"evicting {Name(pod)}",
                    () => client.CoreV1.CreateNamespacedPodEvictionAsync(eviction, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct));
                return null;
            }
            catch (SchedulerException e) when (KubernetesCalls.Status(e) == HttpStatusCode.NotFound)
            {
                return null;
            }
            catch (SchedulerException e) when (KubernetesCalls.Status(e) == HttpStatusCode.TooManyRequests)
            {
                if (time.GetUtcNow() + delay > deadline)
                    return $"evicting {Name(pod)} is still blocked by a PodDisruptionBudget after {attempt} attempts over {options.DrainTimeout} ({e.Message})";
                await Task.Delay(delay, time, ct);
            }
            catch (SchedulerException e)
            {
                return e.Message;
            }
        }
    }

    private async Task<List<V1Pod>> EvictableAsync(string node, CancellationToken ct)
    {
        var pods = await KubernetesCalls.CallAsync($"listing the pods on {node}",
            () => client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}", cancellationToken: ct));
        return pods.Items.Where(Evictable).ToList();
    }

    private static bool Evictable(V1Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed")
        && pod.GetAnnotation("kubernetes.io/config.mirror") is null
        && pod.Metadata.OwnerReferences?.Any(o => o.Kind == "DaemonSet" && o.Controller == true) != true;

    private TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));

    private static string Name(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
}
