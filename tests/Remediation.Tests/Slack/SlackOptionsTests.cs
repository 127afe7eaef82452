using Microsoft.Extensions.Configuration;
using Remediation.Service.Approvals.Slack;

namespace Remediation.Tests.Slack;

public sealed class SlackOptionsTests
{
    private static SlackOptions From(params (string Key, string? Value)[] settings) => SlackOptions.From(new ConfigurationBuilder()
        .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Approvers_come_comma_separated_from_the_environment()
    {
        var options = From(("Slack:ApproverIds", " U0ALICE, U0BOB,,"));

        Assert.Equal(["U0ALICE", "U0BOB"], options.ApproverIds.Order());
    }

    [Fact]
    public void Approvers_come_as_an_array_from_appsettings()
    {
        var options = From(("Slack:ApproverIds:0", "U0ALICE"), ("Slack:ApproverIds:1", "U0BOB"));

        Assert.True(options.MayDecide("U0BOB"));
        Assert.False(options.MayDecide("u0bob"));
    }

    [Fact]
    public void Nothing_configured_means_nobody_decides_nothing_is_posted_and_slack_dot_com_is_the_api()
    {
        var options = From();

        Assert.Empty(options.ApproverIds);
        Assert.False(options.CanPost);
        Assert.Null(options.SigningSecret);
        Assert.Equal(new Uri("https://slack.com/api/chat.update"), new Uri(options.ApiBaseUrl, "chat.update"));
    }

    [Fact]
    public void An_api_base_url_without_a_trailing_slash_keeps_its_path()
    {
        var options = From(("Slack:ApiBaseUrl", "http://127.0.0.1:9/api"));

        Assert.Equal(new Uri("http://127.0.0.1:9/api/chat.postMessage"), new Uri(options.ApiBaseUrl, "chat.postMessage"));
    }
}
