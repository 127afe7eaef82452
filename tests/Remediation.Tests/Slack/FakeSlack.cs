using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Remediation.Tests.Slack;

/// <summary>
/// Slack's Web API and response_url on loopback: answers like Slack does and records every call, in order.
/// <c>/api/{method}</c> is the Web API, <c>/actions/…</c> stands in for hooks.slack.com response URLs.
/// </summary>
public sealed class FakeSlack : IAsyncDisposable
{
    public const string ChannelId = "C0FAKE0001";
    public const string Ts = "1764064800.000100";

    private readonly WebApplication _app;
    private readonly Channel<SlackCall> _arrivals = Channel.CreateUnbounded<SlackCall>();
    private readonly List<SlackCall> _calls = [];

    private FakeSlack(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;
    public Uri ApiBaseUrl => new(Address, "/api/");
    public Uri ResponseUrl => new(Address, "/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209");

    /// <summary>When set, every Web API call answers <c>{"ok": false, "error": FailWith}</c>, as Slack does.</summary>
    public string? FailWith { get; set; }

    public IReadOnlyList<SlackCall> Calls
    {
        get { lock (_calls) return [.. _calls]; }
    }

    public static async Task<FakeSlack> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var slack = new FakeSlack(app);
        app.MapPost("/api/{method}", async (string method, HttpRequest request) =>
        {
            await slack.RecordAsync(method, request);
            return slack.FailWith is { } error
                ? Results.Json(new JsonObject { ["ok"] = false, ["error"] = error })
                : Results.Json(new JsonObject { ["ok"] = true, ["channel"] = ChannelId, ["ts"] = Ts });
        });
        app.MapPost("/actions/{**rest}", async (HttpRequest request) =>
        {
            await slack.RecordAsync("response_url", request);
            return Results.Text("ok");
        });
        await app.StartAsync();
        slack.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return slack;
    }

    /// <summary>The next call not yet taken, waiting for it to arrive.</summary>
    public async Task<SlackCall> NextAsync(int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            return await _arrivals.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no call reached the fake Slack within {seconds}s; calls so far: {string.Join(", ", Calls.Select(c => c.Method))}");
        }
    }

    private async Task RecordAsync(string method, HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body) ?? new JsonObject();
        var call = new SlackCall(method, request.Headers.Authorization.ToString(), request.ContentType, body);
        lock (_calls) _calls.Add(call);
        await _arrivals.Writer.WriteAsync(call);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record SlackCall(string Method, string Authorization, string? ContentType, JsonNode Body);
