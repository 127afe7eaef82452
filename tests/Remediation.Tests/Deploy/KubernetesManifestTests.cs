using YamlDotNet.RepresentationModel;

namespace Remediation.Tests.Deploy;

/// <summary>The Kubernetes manifests say what the code needs: host paths the agent reads, RBAC the adapter calls.</summary>
public sealed class KubernetesManifestTests
{
    private static List<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Repo.Root, "deploy", "kubernetes", file))));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static YamlMappingNode Kind(string file, string kind) =>
        Assert.Single(Documents(file), d => ((YamlScalarNode)d["kind"]).Value == kind);

    [Fact]
    public void The_agent_daemonset_reads_the_host_through_the_root_the_agent_is_given()
    {
        var spec = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Kind("agent-daemonset.yaml", "DaemonSet")["spec"])["template"])["spec"];
        var container = (YamlMappingNode)((YamlSequenceNode)spec["containers"])[0];
        var args = ((YamlSequenceNode)container["args"]).Select(a => ((YamlScalarNode)a).Value).ToList();
        var root = args[args.IndexOf("--root") + 1];
        var mounts = ((YamlSequenceNode)container["volumeMounts"]).Select(m => ((YamlScalarNode)((YamlMappingNode)m)["mountPath"]).Value).ToList();
        Assert.Equal("run", args[0]);
        Assert.Contains($"{root}/sys", mounts);
        Assert.Contains($"{root}/dev/kmsg", mounts);
        Assert.Contains($"{root}/proc", mounts);
        Assert.Contains($"{root}/var/log", mounts);
        Assert.Contains(args[args.IndexOf("--state-dir") + 1], mounts);
    }

    [Fact]
    public void The_agent_daemonset_reboots_through_the_hosts_pid_1_which_its_pod_can_reach()
    {
        var spec = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Kind("agent-daemonset.yaml", "DaemonSet")["spec"])["template"])["spec"];
        var container = (YamlMappingNode)((YamlSequenceNode)spec["containers"])[0];
        var args = ((YamlSequenceNode)container["args"]).Select(a => ((YamlScalarNode)a).Value).ToList();
        Assert.Equal("host-pid1", args[args.IndexOf("--reboot-via") + 1]);
        // nsenter --target 1 enters the host's PID 1 only when the pod shares the host's PID namespace.
        Assert.Equal("true", ((YamlScalarNode)spec["hostPID"]).Value);
        Assert.Equal("true", ((YamlScalarNode)((YamlMappingNode)container["securityContext"])["privileged"]).Value);
    }

    [Fact]
    public void The_service_may_cordon_and_evict_and_nothing_more_on_nodes()
    {
        var rules = ((YamlSequenceNode)Kind("service.yaml", "ClusterRole")["rules"]).Cast<YamlMappingNode>()
            .ToDictionary(r => ((YamlScalarNode)((YamlSequenceNode)r["resources"])[0]).Value!,
                r => ((YamlSequenceNode)r["verbs"]).Select(v => ((YamlScalarNode)v).Value).ToList());
        Assert.Equal(["get", "patch"], rules["nodes"]);
        Assert.Equal(["create"], rules["pods/eviction"]);
        Assert.DoesNotContain("delete", rules.Values.SelectMany(v => v));
    }

    [Fact]
    public void Every_configured_key_is_one_the_readme_documents()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var data = (YamlMappingNode)Kind("service.yaml", "ConfigMap")["data"];
        Assert.All(data.Children.Keys.Select(k => ((YamlScalarNode)k).Value!.Replace("__", ":")), key => Assert.Contains($"`{key}`", readme));
    }
}
