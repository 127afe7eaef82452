using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Remediation.Service.Hosting;
using Remediation.Tests.Cluster;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Observability;

/// <summary>
/// The service's tracing as configured, on a host that is built but not started (no servers needed). Alone: in a
/// clean-clone run with test classes side by side the exported span once never reached the collector; activities and
/// their listeners are process-wide.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class TracingSetupTests
{
    [Fact]
    public async Task Log_lines_written_inside_a_span_carry_its_trace_and_span_ids()
    {
        await using var app = Build([]);
        var logs = new ScopeCapture();
        var factory = app.Services.GetRequiredService<ILoggerFactory>();
        factory.AddProvider(logs);
        using var span = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();

        factory.CreateLogger("Remediation.Test").LogWarning("inside a span");

        var line = Assert.Single(logs.Lines);
        Assert.Contains($"TraceId:{span.TraceId}", line);
        Assert.Contains($"SpanId:{span.SpanId}", line);
        Assert.True(app.Services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
    }

    [Fact]
    public async Task Spans_are_exported_by_otlp_to_the_configured_endpoint()
    {
        await using var collector = await LoopbackServer.StartAsync((_, http) => LoopbackServer.Json(http, 200, ""));
        await using var app = Build(new()
        {
            ["Tracing:OtlpEndpoint"] = new Uri(collector.Address, "v1/traces").ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        var provider = app.Services.GetRequiredService<TracerProvider>();
        var name = $"otlp-test-{Guid.NewGuid():N}";

        Tracing.Source.StartActivity(name)?.Dispose();
        Assert.True(provider.ForceFlush(10_000), "the exporter did not flush within 10 s");

        var export = Assert.Single(collector.Requests, r => r.Body.Contains(name));
        Assert.Equal("/v1/traces", export.Path);
        Assert.Contains("remediation-service", export.Body);
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        settings["Runbooks:Directory"] = Repo.Runbooks;
        return ServiceHost.Build(["--urls", "http://127.0.0.1:0"], settings);
    }

    /// <summary>A logger provider that writes each line with the scopes it was logged in, as the console does.</summary>
    private sealed class ScopeCapture : ILoggerProvider, ISupportExternalScope, ILogger
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public List<string> Lines { get; } = [];

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => _scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = formatter(state, exception);
            _scopes.ForEachScope((scope, _) => line += $" => {scope}", (object?)null);
            lock (Lines) Lines.Add(line);
        }

        public void Dispose()
        {
        }
    }
}
