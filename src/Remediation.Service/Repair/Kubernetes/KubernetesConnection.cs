using k8s;

namespace Remediation.Service.Repair.Kubernetes;

public static class KubernetesConnection
{
    /// <summary>Host and token when configured, else the named kubeconfig, else the client's own default (KUBECONFIG, ~/.kube/config, in-cluster).</summary>
    public static IKubernetes Create(KubernetesOptions options)
    {
        var config = options switch
        {
            { Host: { Length: > 0 } host } => new KubernetesClientConfiguration { Host = host, AccessToken = options.Token },
            { Kubeconfig: { Length: > 0 } file } => KubernetesClientConfiguration.BuildConfigFromConfigFile(file),
            _ => KubernetesClientConfiguration.BuildDefaultConfig(),
        };
        return new k8s.Kubernetes(config);
    }
}
