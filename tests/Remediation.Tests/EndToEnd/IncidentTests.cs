using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Cli;
using Remediation.Cli.Commands;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>A fault's whole life read back: the incidents API and the Markdown postmortem written from it.</summary>
public sealed class IncidentTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Decider:AutoApprove"] = "false" };

    [Fact]
    public async Task An_incident_reads_back_with_its_steps_approvals_timings_and_evidence()
    {
        var incidentId = await RunRebootAsync("gpu-node-pm");

        var list = await Service.Http.GetFromJsonAsync<List<JsonElement>>("/api/incidents?node=gpu-node-pm");
        Assert.Equal(incidentId, Assert.Single(list!).GetProperty("id").GetString());

        var report = await Service.Http.GetFromJsonAsync<JsonElement>($"/api/incidents/{incidentId}");
        Assert.Equal("closed", report.GetProperty("status").GetString());
        Assert.Equal(["reboot"], report.GetProperty("runbooks").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["cordon:succeeded", "collect_evidence:succeeded", "reboot:succeeded", "node_health:succeeded", "uncordon:succeeded"],
            report.GetProperty("steps").EnumerateArray().Select(s => $"{s.GetProperty("action").GetString()}:{s.GetProperty("outcome").GetString()}"));
        var approval = Assert.Single(report.GetProperty("approvals").EnumerateArray());
        Assert.Equal(("granted", "api:tester"), (approval.GetProperty("outcome").GetString(), approval.GetProperty("by").GetString()));
        Assert.Contains("GPU has fallen off the bus", report.GetProperty("evidence")[0].GetString());
        var durations = report.GetProperty("durations");
        Assert.True(durations.GetProperty("act").GetDouble() >= durations.GetProperty("decide").GetDouble());
        Assert.True(durations.GetProperty("recover").GetDouble() >= durations.GetProperty("act").GetDouble());
        Assert.Equal("FaultReported", report.GetProperty("events")[0].GetProperty("type").GetString());
        Assert.Equal("IncidentResolved", report.GetProperty("events").EnumerateArray().Last().GetProperty("type").GetString());
    }

    [Fact]
    public async Task Postmortem_writes_markdown_with_every_section()
    {
        var incidentId = await RunRebootAsync("gpu-node-pm2");
        var output = new StringWriter();

        await PostmortemCommand.RunAsync(new CliArgs(["postmortem", incidentId, "--api", Service.Http.BaseAddress!.ToString(), "--token", ServiceUnderTest.Token]),
            output, CancellationToken.None);

        var markdown = output.ToString();
        Assert.StartsWith($"# Postmortem: {incidentId}", markdown);
        foreach (var section in new[] { "## Summary", "## Timings", "## Steps", "## Approvals", "## Evidence", "## Timeline" })
            Assert.Contains(section, markdown);
        Assert.Contains("| `reboot` | 1 | succeeded |", markdown);
        Assert.Contains("**granted** by api:tester", markdown);
        Assert.Contains("NVRM: Xid (PCI:0000:3b:00): 79", markdown);
    }

    [Fact]
    public async Task Timeline_narrows_to_one_incident_or_to_recent_events()
    {
        var incidentId = await RunRebootAsync("gpu-node-tl");
        var args = new[] { "--api", Service.Http.BaseAddress!.ToString(), "--token", ServiceUnderTest.Token };

        var incident = new StringWriter();
        await TimelineCommand.RunAsync(new CliArgs(["timeline", "gpu-node-tl", "--incident", incidentId, .. args]), incident, CancellationToken.None);
        Assert.Contains("FaultReported", incident.ToString());
        Assert.Contains("IncidentResolved", incident.ToString());

        var future = new StringWriter();
        await TimelineCommand.RunAsync(new CliArgs(["timeline", "gpu-node-tl", "--since", "2099-01-01T00:00:00Z", .. args]), future, CancellationToken.None);
        Assert.Contains("(0 events)", future.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, (await Service.Http.GetAsync("/api/nodes/gpu-node-tl/timeline?since=yesterday")).StatusCode);
        Assert.Throws<CliException>(() => TimelineCommand.Since("soon"));
    }

    [Fact]
    public async Task Unknown_and_malformed_incident_ids_are_404_and_400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Service.Http.GetAsync("/api/incidents/inc-gpu-node-none-1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Service.Http.GetAsync("/api/incidents/not-an-incident")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Service.Http.GetAsync("/api/incidents?limit=0")).StatusCode);
    }

    private async Task<string> RunRebootAsync(string node)
    {
        await using var agents = await Service.StartAgentsAsync([node], _ => true);
        await Service.PublishRawAsync($$"""
            {"eventId":"pm-{{node}}","nodeId":"{{node}}","kind":"xid","xid":79,"device":"PCI:0000:3b:00",
             "message":"NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
             "observedAt":"{{DateTimeOffset.UtcNow:O}}","source":"kmsg"}
            """);
        var waiting = await Service.WaitForNodeAsync(node, n => ServiceUnderTest.Is(n, "AwaitingApproval"));
        var approvalId = waiting.GetProperty("incident").GetProperty("approval").GetProperty("approvalId").GetString();
        await Service.PostAsync($"/api/approvals/{approvalId}/approve");
        await Service.WaitForNodeAsync(node, n => ServiceUnderTest.IsIdle(n, "Healthy"));
        return $"inc-{node}-1";
    }
}
