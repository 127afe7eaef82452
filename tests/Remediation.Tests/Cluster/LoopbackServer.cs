using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Remediation.Tests.Cluster;

/// <summary>A real HTTP server (Kestrel) on a free loopback port that records every request it answers.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    public sealed record Received(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);

    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Uri Address { get; private set; } = null!;

    /// <summary>Starts a server whose every request is answered by <paramref name="answer"/>, after being recorded.</summary>
    public static async Task<LoopbackServer> StartAsync(Func<Received, HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var received = new Received(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "", headers, body);
            server.Requests.Enqueue(received);
            await answer(received, context);
        });
        await app.StartAsync();
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public static async Task Json(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
