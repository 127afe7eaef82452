using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Remediation.Tests.Cluster;

/// <summary>
/// The subset of the Kubernetes API that cordon, drain and uncordon use, served over real HTTP so the real
/// KubernetesClient talks to it: GET/PATCH (merge patch, resourceVersion checked) a node, list pods by
/// spec.nodeName, and POST a pod's eviction, answered 201 or 429 by <see cref="Eviction"/>.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    public sealed class Node
    {
        public bool Unschedulable { get; set; }
        public Dictionary<string, string> Annotations { get; } = [];
        public int ResourceVersion { get; set; } = 1;
    }

    public sealed record Pod(
        string Namespace, string Name, string NodeName, string? OwnerKind = "ReplicaSet", bool Mirror = false, string Phase = "Running",
        bool Terminating = false, bool EmptyDir = false)
    {
        public string Uid { get; } = Guid.NewGuid().ToString();
    }

    private LoopbackServer _server = null!;

    public ConcurrentDictionary<string, Node> Nodes { get; } = new();
    public ConcurrentDictionary<string, Pod> Pods { get; } = new();
    public ConcurrentDictionary<string, int> EvictionAttempts { get; } = new();

    /// <summary>Decides an eviction from the pod and its attempt number: true to evict (201), false for a PDB (429).</summary>
    public Func<Pod, int, bool> Eviction { get; set; } = (_, _) => true;

    /// <summary>Runs before a patch is applied, as another client changing the node at that moment would.</summary>
    public Action<Node> BeforePatch { get; set; } = _ => { };

    public IEnumerable<LoopbackServer.Received> Requests => _server.Requests;

    public Uri Address => _server.Address;

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var api = new FakeKubernetesApi();
        api._server = await LoopbackServer.StartAsync(api.AnswerAsync);
        return api;
    }

    public void AddPods(params Pod[] pods)
    {
        foreach (var pod in pods) Pods[$"{pod.Namespace}/{pod.Name}"] = pod;
    }

    private Task AnswerAsync(LoopbackServer.Received request, HttpContext context)
    {
        var path = request.Path.Trim('/').Split('/');
        return (request.Method, path) switch
        {
            ("GET", ["api", "v1", "nodes", var name]) => Nodes.TryGetValue(name, out var node) ? Ok(context, NodeJson(name, node)) : NotFound(context, "nodes", name),
            ("PATCH", ["api", "v1", "nodes", var name]) => PatchAsync(context, name, request.Body),
            ("GET", ["api", "v1", "pods"]) => Ok(context, PodList(context.Request.Query["fieldSelector"].ToString())),
            ("POST", ["api", "v1", "namespaces", var ns, "pods", var name, "eviction"]) => EvictAsync(context, ns, name),
            _ => Status(context, 404, "NotFound", $"the fake API does not serve {request.Method} {request.Path}"),
        };
    }

    private Task PatchAsync(HttpContext context, string name, string body)
    {
        if (!Nodes.TryGetValue(name, out var node)) return NotFound(context, "nodes", name);
        if (context.Request.ContentType != "application/merge-patch+json; charset=utf-8" && context.Request.ContentType != "application/merge-patch+json")
            return Status(context, 415, "UnsupportedMediaType", $"unexpected patch type {context.Request.ContentType}");
        BeforePatch(node);
        var patch = JsonNode.Parse(body)!;
        if (patch["metadata"]?["resourceVersion"]?.GetValue<string>() is { } rv && rv != node.ResourceVersion.ToString())
            return Status(context, 409, "Conflict", $"Operation cannot be fulfilled on nodes \"{name}\": the object has been modified");
        if (patch["spec"]?["unschedulable"] is { } unschedulable) node.Unschedulable = unschedulable.GetValue<bool>();
        foreach (var (key, value) in patch["metadata"]?["annotations"]?.AsObject() ?? [])
            if (value is null) node.Annotations.Remove(key);
            else node.Annotations[key] = value.GetValue<string>();
        node.ResourceVersion++;
        return Ok(context, NodeJson(name, node));
    }

    private Task EvictAsync(HttpContext context, string ns, string name)
    {
        if (!Pods.TryGetValue($"{ns}/{name}", out var pod)) return NotFound(context, "pods", name);
        var attempt = EvictionAttempts.AddOrUpdate($"{ns}/{name}", 1, (_, n) => n + 1);
        if (!Eviction(pod, attempt))
            return Status(context, 429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.");
        Pods.TryRemove($"{ns}/{name}", out _);
        return Status(context, 201, "", "", success: true);
    }

    private JsonObject PodList(string fieldSelector)
    {
        var node = fieldSelector.StartsWith("spec.nodeName=", StringComparison.Ordinal) ? fieldSelector["spec.nodeName=".Length..] : null;
        var items = new JsonArray();
        foreach (var pod in Pods.Values.Where(p => node is null || p.NodeName == node).OrderBy(p => p.Name))
            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = pod.Name,
                    ["namespace"] = pod.Namespace,
                    ["uid"] = pod.Uid,
                    ["annotations"] = pod.Mirror ? new JsonObject { ["kubernetes.io/config.mirror"] = "abc" } : new JsonObject(),
                    ["deletionTimestamp"] = pod.Terminating ? "2026-11-25T10:00:00Z" : null,
                    ["ownerReferences"] = pod.OwnerKind is null ? new JsonArray() : new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = "apps/v1", ["kind"] = pod.OwnerKind, ["name"] = pod.Name + "-owner", ["uid"] = "owner-" + pod.Uid, ["controller"] = true,
                    }),
                },
                ["spec"] = new JsonObject
                {
                    ["nodeName"] = pod.NodeName, ["containers"] = new JsonArray(),
                    ["volumes"] = pod.EmptyDir ? new JsonArray(new JsonObject { ["name"] = "scratch", ["emptyDir"] = new JsonObject() }) : new JsonArray(),
                },
                ["status"] = new JsonObject { ["phase"] = pod.Phase },
            });
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PodList", ["metadata"] = new JsonObject { ["resourceVersion"] = "1" }, ["items"] = items };
    }

    private static JsonObject NodeJson(string name, Node node)
    {
        var annotations = new JsonObject();
        foreach (var (key, value) in node.Annotations) annotations[key] = value;
        var spec = new JsonObject();
        if (node.Unschedulable) spec["unschedulable"] = true;
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = node.ResourceVersion.ToString(), ["annotations"] = annotations },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) },
        };
    }

    private static Task Ok(HttpContext context, JsonObject body) => LoopbackServer.Json(context, 200, body.ToJsonString());

    private static Task NotFound(HttpContext context, string kind, string name) => Status(context, 404, "NotFound", $"{kind} \"{name}\" not found");

    private static Task Status(HttpContext context, int code, string reason, string message, bool success = false) =>
        LoopbackServer.Json(context, code, JsonSerializer.Serialize(new
        {
            kind = "Status", apiVersion = "v1", metadata = new { }, status = success ? "Success" : "Failure", message, reason, code,
        }));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
