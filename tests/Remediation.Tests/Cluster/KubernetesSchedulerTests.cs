using Pod = Remediation.Tests.Cluster.FakeKubernetesApi.Pod;
using Remediation.Service.Repair.Kubernetes;

namespace Remediation.Tests.Cluster;

/// <summary>The Kubernetes adapter with the real KubernetesClient against a local server speaking the API subset.</summary>
public sealed class KubernetesSchedulerTests : IAsyncLifetime
{
    private const string Annotation = KubernetesScheduler.CordonedByAnnotation;
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _api.Nodes["gpu-node-017"] = new FakeKubernetesApi.Node();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private KubernetesScheduler Scheduler(TimeSpan? drainTimeout = null, bool force = false, bool deleteEmptyDirData = false)
    {
        var options = new KubernetesOptions
        {
            Host = _api.Address.ToString(),
            DrainTimeout = drainTimeout ?? TimeSpan.FromSeconds(30),
            RetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(100),
            Force = force,
            DeleteEmptyDirData = deleteEmptyDirData,
        };
        var client = KubernetesConnection.Create(options);
        return new KubernetesScheduler(client, new KubernetesDrain(client, options, TimeProvider.System));
    }

    private List<string> Calls() => _api.Requests.Select(r => $"{r.Method} {r.Path}").ToList();

    [Fact]
    public async Task Cordon_marks_the_node_ours_and_evicts_only_the_pods_a_drain_should()
    {
        _api.AddPods(
            new Pod("train", "trainer-0", "gpu-node-017"),
            new Pod("kube-system", "nvidia-device-plugin-x1", "gpu-node-017", OwnerKind: "DaemonSet"),
            new Pod("kube-system", "static-web-gpu-node-017", "gpu-node-017", OwnerKind: null, Mirror: true),
            new Pod("batch", "finished-job", "gpu-node-017", OwnerKind: "Job", Phase: "Succeeded"),
            new Pod("train", "trainer-1", "gpu-node-018"));

        var result = await Scheduler().CordonAsync("gpu-node-017", "inc-42", CancellationToken.None);

        Assert.True(result.Succeeded, result.Output);
        Assert.Contains("evicted 1 pod(s): train/trainer-0", result.Output);
        var node = _api.Nodes["gpu-node-017"];
        Assert.True(node.Unschedulable);
        Assert.Equal("inc-42", node.Annotations[Annotation]);
        Assert.Equal(["GET /api/v1/nodes/gpu-node-017", "PATCH /api/v1/nodes/gpu-node-017", "GET /api/v1/pods",
                      "POST /api/v1/namespaces/train/pods/trainer-0/eviction", "GET /api/v1/pods"], Calls());
        Assert.Contains("fieldSelector=spec.nodeName%3Dgpu-node-017", _api.Requests.First(r => r.Path == "/api/v1/pods").Query);
        var patch = System.Text.Json.Nodes.JsonNode.Parse(_api.Requests.Single(r => r.Method == "PATCH").Body)!;
        Assert.Equal("1", patch["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Contains(_api.Pods.Keys, k => k == "kube-system/nvidia-device-plugin-x1");
        var state = await Scheduler().GetAsync("gpu-node-017", CancellationToken.None);
        Assert.Equal(("Ready,SchedulingDisabled", true, "inc-42"), (state.State, state.Cordoned, state.CordonedBy));
    }

    [Fact]
    public async Task A_pod_disruption_budget_is_waited_out_with_retries()
    {
        _api.AddPods(new Pod("train", "trainer-0", "gpu-node-017"), new Pod("train", "trainer-1", "gpu-node-017"));
        _api.Eviction = (pod, attempt) => pod.Name != "trainer-1" || attempt >= 3;

        var result = await Scheduler().CordonAsync("gpu-node-017", "inc-43", CancellationToken.None);

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal(3, _api.EvictionAttempts["train/trainer-1"]);
        Assert.Equal(1, _api.EvictionAttempts["train/trainer-0"]);
        Assert.Empty(_api.Pods);
    }

    [Fact]
    public async Task A_budget_that_never_allows_the_eviction_fails_the_drain_with_the_reason_and_the_node_stays_cordoned()
    {
        _api.AddPods(new Pod("serving", "llm-0", "gpu-node-017"));
        _api.Eviction = (_, _) => false;

        var result = await Scheduler(drainTimeout: TimeSpan.FromMilliseconds(300)).CordonAsync("gpu-node-017", "inc-44", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.True(result.Draining);
        Assert.Contains("evicting serving/llm-0 is still blocked by a PodDisruptionBudget", result.Output);
        Assert.Contains("would violate the pod's disruption budget", result.Output);
        Assert.True(_api.EvictionAttempts["serving/llm-0"] >= 2);
        Assert.True(_api.Nodes["gpu-node-017"].Unschedulable);
        Assert.Contains("serving/llm-0", _api.Pods.Keys);
    }

    [Fact]
    public async Task Like_kubectl_drain_a_pod_no_controller_owns_stops_the_drain_before_any_eviction()
    {
        _api.AddPods(new Pod("train", "trainer-0", "gpu-node-017"), new Pod("dev", "notebook", "gpu-node-017", OwnerKind: null));

        var result = await Scheduler().CordonAsync("gpu-node-017", "inc-52", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.False(result.Draining);
        Assert.Contains("pods no controller owns would be lost: dev/notebook (Scheduler:Kubernetes:Force=true evicts them)", result.Output);
        Assert.Empty(_api.EvictionAttempts);
        Assert.True(_api.Nodes["gpu-node-017"].Unschedulable);
    }

    [Fact]
    public async Task Like_kubectl_drain_a_pod_with_emptyDir_data_stops_the_drain_unless_configured()
    {
        _api.AddPods(new Pod("train", "trainer-0", "gpu-node-017", EmptyDir: true));

        var refused = await Scheduler().CordonAsync("gpu-node-017", "inc-53", CancellationToken.None);
        var forced = await Scheduler(deleteEmptyDirData: true).CordonAsync("gpu-node-017", "inc-53", CancellationToken.None);

        Assert.Contains("pods with emptyDir data would lose it: train/trainer-0", refused.Output);
        Assert.True(forced.Succeeded, forced.Output);
        Assert.Equal(1, _api.EvictionAttempts["train/trainer-0"]);
    }

    [Fact]
    public async Task With_force_a_pod_no_controller_owns_is_evicted()
    {
        _api.AddPods(new Pod("dev", "notebook", "gpu-node-017", OwnerKind: null));

        var result = await Scheduler(force: true).CordonAsync("gpu-node-017", "inc-54", CancellationToken.None);

        Assert.True(result.Succeeded, result.Output);
        Assert.Contains("evicted 1 pod(s): dev/notebook", result.Output);
    }

    [Fact]
    public async Task A_pod_already_terminating_is_neither_evicted_again_nor_waited_on()
    {
        _api.AddPods(new Pod("train", "trainer-0", "gpu-node-017", Terminating: true));

        var result = await Scheduler().CordonAsync("gpu-node-017", "inc-55", CancellationToken.None);

        Assert.True(result.Succeeded, result.Output);
        Assert.Contains("no pods to evict", result.Output);
        Assert.Empty(_api.EvictionAttempts);
    }

    [Fact]
    public async Task Uncordon_gives_back_our_cordon_and_removes_the_mark()
    {
        Assert.True((await Scheduler().CordonAsync("gpu-node-017", "inc-45", CancellationToken.None)).Succeeded);

        var result = await Scheduler().UncordonAsync("gpu-node-017", "inc-45", CancellationToken.None);

        Assert.True(result.Succeeded, result.Output);
        Assert.False(_api.Nodes["gpu-node-017"].Unschedulable);
        Assert.DoesNotContain(Annotation, _api.Nodes["gpu-node-017"].Annotations.Keys);
        var lastPatch = System.Text.Json.Nodes.JsonNode.Parse(_api.Requests.Last(r => r.Method == "PATCH").Body)!;
        Assert.False(lastPatch["spec"]!["unschedulable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Refuses_to_uncordon_a_node_someone_else_cordoned_and_does_not_claim_it()
    {
        _api.Nodes["gpu-node-017"].Unschedulable = true;

        var cordon = await Scheduler().CordonAsync("gpu-node-017", "inc-46", CancellationToken.None);
        var uncordon = await Scheduler().UncordonAsync("gpu-node-017", "inc-46", CancellationToken.None);

        Assert.True(cordon.Succeeded, cordon.Output);
        Assert.Contains("already cordoned by someone else", cordon.Output);
        Assert.False(uncordon.Succeeded);
        Assert.Contains($"cordoned by someone else (no {Annotation} annotation)", uncordon.Output);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "PATCH");
        Assert.True(_api.Nodes["gpu-node-017"].Unschedulable);
    }

    [Fact]
    public async Task Another_incidents_cordon_is_not_ours_to_undo()
    {
        Assert.True((await Scheduler().CordonAsync("gpu-node-017", "inc-47", CancellationToken.None)).Succeeded);

        var result = await Scheduler().UncordonAsync("gpu-node-017", "inc-48", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("cordoned it for 'inc-47', not for 'inc-48'", result.Output);
        Assert.True(_api.Nodes["gpu-node-017"].Unschedulable);
    }

    [Fact]
    public async Task An_operators_cordon_between_our_read_and_our_patch_is_not_overwritten()
    {
        _api.Nodes["gpu-node-017"].Unschedulable = true;
        _api.Nodes["gpu-node-017"].Annotations[Annotation] = "inc-51";
        _api.BeforePatch = node =>
        {
            node.Annotations.Remove(Annotation);
            node.ResourceVersion++;
        };

        var result = await Scheduler().UncordonAsync("gpu-node-017", "inc-51", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("changed while remediation was deciding", result.Output);
        Assert.True(_api.Nodes["gpu-node-017"].Unschedulable);
    }

    [Fact]
    public async Task Unknown_node_fails_with_the_api_servers_words()
    {
        var result = await Scheduler().CordonAsync("gpu-node-404", "inc-49", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("answered 404 nodes \"gpu-node-404\" not found", result.Output);
    }

    [Theory]
    [InlineData("gpu-node-017/../../namespaces")]
    [InlineData("gpu-node-017?dryRun=All")]
    [InlineData("-gpu-node-017")]
    public async Task Names_that_are_not_one_plain_host_never_reach_the_api(string node)
    {
        var result = await Scheduler().CordonAsync(node, "inc-50", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("not a plain host name", result.Output);
        Assert.Empty(_api.Requests);
    }
}
