using System.Net;
using System.Text;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Slack;

/// <summary>The whole service maps the endpoint and, with no signing secret configured, refuses every request.</summary>
public sealed class SlackWiringTests(Servers servers) : ServiceTests(servers)
{
    [Fact]
    public async Task Without_a_signing_secret_the_service_refuses_slack_interactions()
    {
        using var content = new StringContent("payload=%7B%7D", Encoding.UTF8, "application/x-www-form-urlencoded");

        var response = await Service.Http.PostAsync("/slack/interactions", content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Slack signing secret is not configured", await response.Content.ReadAsStringAsync());
    }
}
