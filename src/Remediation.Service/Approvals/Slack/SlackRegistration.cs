using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Remediation.Service.Approvals.Slack;

public static class SlackRegistration
{
    /// <summary>
    /// The interactions endpoint's parts are always registered (it refuses everything without a signing secret);
    /// approvals are posted to Slack only when a bot token and a channel are configured.
    /// </summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration config)
    {
        var options = SlackOptions.From(config);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SlackSignature>();
        services.AddHttpClient(SlackWebApi.ClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<SlackWebApi>();
        services.AddSingleton<SlackInteractionQueue>();
        services.AddHostedService<SlackInteractionWorker>();
        services.ConfigureMarten(o => o.Schema.For<SlackApprovalMessage>());
        if (options.CanPost) services.AddSingleton<IApprovalNotifier, SlackApprovalNotifier>();
        return services;
    }

    public static WebApplication MapSlack(this WebApplication app)
    {
        app.MapSlackInteractions();
        return app;
    }
}
