namespace Remediation.Service.Repair.Kubernetes;

/// <summary>
/// Configuration section <c>Scheduler:Kubernetes</c>. With no Host and no Kubeconfig the service uses its pod's
/// service account when it runs in a cluster, else the default kubeconfig (~/.kube/config).
/// </summary>
public sealed class KubernetesOptions
{
    /// <summary>The API server URL; with <see cref="Token"/> it needs no kubeconfig.</summary>
    public string? Host { get; set; }

    public string? Token { get; set; }

    /// <summary>A kubeconfig file to read instead.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>How long a drain may wait on PodDisruptionBudgets and on evicted pods to go before it fails.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first wait after an eviction the API refused with 429; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Evict pods no controller owns, which nothing brings back (<c>kubectl drain --force</c>). Off, as in kubectl.</summary>
    public bool Force { get; set; }

    /// <summary>Evict pods with emptyDir volumes, whose data is lost (<c>kubectl drain --delete-emptydir-data</c>). Off, as in kubectl.</summary>
    public bool DeleteEmptyDirData { get; set; }
}
