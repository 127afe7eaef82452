using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Remediation.Service.Approvals;
using Remediation.Service.Approvals.Slack;

namespace Remediation.Tests.Slack;

/// <summary>Only the Slack layer, on loopback: AddSlack and MapSlack over a recording desk and a fake Slack.</summary>
public sealed class SlackEndpointHost : IAsyncDisposable
{
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string Approver = "UA8RXUSPL";
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T10:00:00Z");

    private readonly WebApplication _app;

    private SlackEndpointHost(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
    }

    public HttpClient Http { get; }

    public static async Task<SlackEndpointHost> StartAsync(FakeSlack slack, IApprovalDesk desk, string? secret = Secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = secret,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Slack:ApproverIds"] = $"U0OTHER01, {Approver}",
        });
        builder.Services.AddSingleton<TimeProvider>(new FixedClock(Now));
        builder.Services.AddSingleton(desk);
        builder.Services.AddSlack(builder.Configuration);
        var app = builder.Build();
        app.MapSlack();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SlackEndpointHost(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) });
    }

    /// <summary>A click on one of our buttons, in Slack's documented block_actions payload, form-encoded as Slack sends it.</summary>
    public static byte[] Click(string actionId, string approvalId, Uri responseUrl, string userId = Approver)
    {
        var payload = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "tests/Remediation.Tests/Slack/Fixtures/block_actions.json")))!;
        payload["user"]!["id"] = userId;
        payload["response_url"] = responseUrl.ToString();
        payload["actions"]![0]!["action_id"] = actionId;
        payload["actions"]![0]!["value"] = approvalId;
        return Form(payload.ToJsonString());
    }

    public static byte[] Form(string payload) => Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload));

    /// <summary>Posts the bytes signed with the secret at the host's clock, unless told otherwise.</summary>
    public async Task<HttpResponseMessage> PostAsync(byte[] body, string? timestamp = null, string? signature = null)
    {
        timestamp ??= Now.ToUnixTimeSeconds().ToString();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/interactions") { Content = content };
        request.Headers.Add(SlackSignature.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignature.SignatureHeader, signature ?? SlackSignature.Sign(Secret, timestamp, body));
        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
