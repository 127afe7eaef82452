using System.Diagnostics;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Remediation.Service.Bus;

namespace Remediation.Service.Hosting;

/// <summary>
/// Traces the message path (agent publish, route, partition consume, commit, step command, agent result) with
/// MassTransit's activities and the service's own, exports them by OTLP when an endpoint is configured, and puts the
/// trace and span ids on every log line written inside one.
/// </summary>
public static class Tracing
{
    public const string SourceName = "Remediation";

    /// <summary>The service's own spans: routing, the loop's commit and the step commands it sends.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    public static IServiceCollection AddRemediationTracing(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions |= ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        // The ids travel as a logging scope: the console shows them only with scopes on.
        services.Configure<SimpleConsoleFormatterOptions>(o => o.IncludeScopes = config.GetValue("Logging:Console:FormatterOptions:IncludeScopes", true));
        if (!config.GetValue("Tracing:Enabled", true)) return services;
        var endpoint = config["Tracing:OtlpEndpoint"];
        var exported = endpoint is { Length: > 0 } || config["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 }
            || config["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] is { Length: > 0 };
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(config["OTEL_SERVICE_NAME"] ?? "remediation-service"))
            .WithTracing(t =>
            {
                t.AddSource(SourceName, BusTracing.SourceName);
                t.AddAspNetCoreInstrumentation(o => o.Filter = http =>
                    !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/health"));
                // The exporter reads the standard OTEL_EXPORTER_OTLP_* settings itself; Tracing:OtlpEndpoint is used as given.
                if (exported)
                    t.AddOtlpExporter(o =>
                    {
                        if (endpoint is { Length: > 0 }) o.Endpoint = new Uri(endpoint);
                    });
            });
        return services;
    }
}
