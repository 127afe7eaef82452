using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Remediation.Service.Bus;
using Remediation.Service.Hosting;

namespace Remediation.Service.Observability;

/// <summary>
/// Traces the message path (agent publish, ingest, commit, step command, agent result) with the service's own
/// activities, and MassTransit's too when they are exported, exports them by OTLP when an endpoint is configured, and puts the
/// trace and span ids on every log line written inside one.
/// </summary>
public static class TracingExport
{
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
                // MassTransit's receive, consume and send spans cost about a quarter of the ingest rate (measured, `make bench`
                // max); they are listened to only when exported. The service's own spans carry the trace from the agent's
                // publish through the commit to the step command either way, and put its ids on the log lines.
                t.AddSource(Tracing.SourceName);
                if (exported) t.AddSource(BusTracing.SourceName);
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
