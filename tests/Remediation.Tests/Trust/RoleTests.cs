using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Trust;

/// <summary>A token reads; only an operator holds and pauses, only an approver decides, and a refusal names the role.</summary>
public sealed class RoleTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Api:Tokens:vera"] = "viewer-token",
        ["Api:Tokens:otto"] = "operator-token",
        ["Api:Roles:otto"] = "operator",
        ["Api:Tokens:anna"] = "approver-token",
        ["Api:Roles:anna"] = "approver",
    };

    [Fact]
    public async Task A_viewer_reads_and_is_refused_every_action_with_the_missing_role()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("viewer-token", HttpMethod.Get, "/api/nodes")).Status);

        var pause = await SendAsync("viewer-token", HttpMethod.Post, "/api/automation/pause", new { reason = "looking" });
        var hold = await SendAsync("viewer-token", HttpMethod.Post, "/api/nodes/gpu-node-1/hold", new { reason = "looking" });
        var approve = await SendAsync("viewer-token", HttpMethod.Post, "/api/approvals/apr-x/approve");

        Assert.Equal((HttpStatusCode.Forbidden, "operator 'vera' lacks the 'operator' role (Api:Roles:vera)"), pause);
        Assert.Equal((HttpStatusCode.Forbidden, "operator 'vera' lacks the 'operator' role (Api:Roles:vera)"), hold);
        Assert.Equal((HttpStatusCode.Forbidden, "operator 'vera' lacks the 'approver' role (Api:Roles:vera)"), approve);
        var automation = await SendAsync("viewer-token", HttpMethod.Get, "/api/automation");
        Assert.DoesNotContain("looking", automation.Detail);
    }

    [Fact]
    public async Task An_operator_pauses_but_cannot_approve_and_an_approver_cannot_pause()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("operator-token", HttpMethod.Post, "/api/automation/pause", new { reason = "maintenance" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("operator-token", HttpMethod.Post, "/api/automation/resume")).Status);
        Assert.Equal((HttpStatusCode.Forbidden, "operator 'otto' lacks the 'approver' role (Api:Roles:otto)"),
            await SendAsync("operator-token", HttpMethod.Post, "/api/approvals/apr-x/reject", new { reason = "no" }));
        Assert.Equal((HttpStatusCode.Forbidden, "operator 'anna' lacks the 'operator' role (Api:Roles:anna)"),
            await SendAsync("approver-token", HttpMethod.Post, "/api/automation/pause", new { reason = "mine" }));
        var approve = await SendAsync("approver-token", HttpMethod.Post, "/api/approvals/apr-x/approve");
        Assert.NotEqual(HttpStatusCode.Forbidden, approve.Status);
    }

    private async Task<(HttpStatusCode Status, string Detail)> SendAsync(string token, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await Service.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Forbidden) return (response.StatusCode, text);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!);
    }
}
