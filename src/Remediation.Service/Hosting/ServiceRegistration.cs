using System.Text.Json.Serialization;
using Marten;
using Prometheus;
using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;
using Remediation.Core.Storms;
using Remediation.Service.Alertmanager;
using Remediation.Service.Api;
using Remediation.Service.Approvals;
using Remediation.Service.Auth;
using Remediation.Service.Automation;
using Remediation.Service.Bus;
using Remediation.Service.Repair;
using Remediation.Service.Ingest;
using Remediation.Service.Operators;
using Remediation.Service.Observability;
using Remediation.Service.Partitions;
using Remediation.Service.Pipeline;
using Remediation.Service.Approvals.Slack;
using Remediation.Service.Stats;
using Remediation.Service.Web;
using Remediation.Store;

namespace Remediation.Service.Hosting;

public static class ServiceRegistration
{
    /// <summary>Registers the whole service. Runbooks load here, so a broken file stops start-up before anything runs.</summary>
    public static IServiceCollection AddRemediation(this IServiceCollection services, IConfiguration config)
    {
        var options = RemediationOptions.From(config);
        var runbooks = RunbookLoader.LoadDirectory(options.RunbooksDirectory);
        services.AddSingleton(options);
        services.AddSingleton(runbooks);
        var decider = config.GetSection("Decider").Get<DeciderOptions>() ?? new DeciderOptions();
        // Approvals:Timeout is the name operators look for; it wins over the decider's own key.
        if (config.GetValue<TimeSpan?>("Approvals:Timeout") is { } approvalTimeout) decider = decider with { ApprovalTimeout = approvalTimeout };
        if (SchedulerOptions.Reboots(config)) decider = decider with { RebootThroughScheduler = true };
        services.AddSingleton(decider);
        services.AddSingleton(config.GetSection("Pipeline").Get<PipelineOptions>() ?? new PipelineOptions());
        services.AddSingleton(config.GetSection("Health").Get<HealthOptions>() ?? new HealthOptions());
        services.AddSingleton(config.GetSection("Budget").Get<BudgetOptions>() ?? new BudgetOptions());
        var storm = config.GetSection("Storm").Get<StormOptions>() ?? new StormOptions();
        var topology = Topology.Load(storm.TopologyFile);
        services.AddSingleton(topology);
        services.AddSingleton(new StormWatch(storm, topology));
        services.AddSingleton<TalliedRepeats>();
        services.AddSingleton<OwedAcks>();
        var inventory = config.GetValue("Inventory:FromTopology", false);
        if (inventory && topology.Count == 0)
            throw new TopologyFileException(storm.TopologyFile ?? "Storm:TopologyFile", 0, "Inventory:FromTopology needs a topology file with nodes");
        services.AddSingleton(new Inventory(topology, inventory));
        var partitions = config.GetSection("Partitions").Get<PartitionOptions>() ?? new PartitionOptions();
        partitions.Validate();
        services.AddSingleton(partitions);
        services.AddSingleton(new PartitionMap(partitions.Count, topology));
        services.AddSingleton<NodeDecider>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RemediationMetrics>();
        services.AddRemediationTracing(config);
        services.AddSingleton<ApiTokens>();
        services.AddMarten(o => o.ConfigureNodes(options.Postgres, options.Schema))
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup();
        services.AddSingleton<StoredEvents>();
        // First of all hosted services, before Marten's own (which puts itself first) applies the schema and the bus
        // connects: both need their server, and a start during an outage waits instead of failing.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, ServerWait>());
        services.AddHostedService<StoreLayoutCheck>();
        services.AddHostedService<StoreWarmUp>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddSlack(config);
        services.AddStats(options.Schema);

        // Start order matters: the bus before the loop that publishes, the loop before the partitions that feed it, and
        // ingest after both. Hosted services stop in reverse: ingest first, then the leases hand partitions back while
        // the loop still commits what they took in, and the bus stops last.
        services.AddRemediationBus(options);
        services.AddSingleton<SenderCheck>();
        services.AddSingleton<IngestGate>();
        services.AddSingleton<AutomationSwitch>();
        services.AddSingleton<ApprovalNotifications>();
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalNotifications>());
        services.AddSingleton<CommitHealth>();
        services.AddSingleton<BatchDecision>();
        services.AddSingleton<DecisionLoop>();
        services.AddSingleton<IPartitionNodes>(sp => sp.GetRequiredService<DecisionLoop>());
        services.AddSingleton<OperatorInbox>();
        services.AddSingleton<IApprovalDesk, ApprovalDesk>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionLoop>());
        services.AddSingleton<PartitionLeases>();
        services.AddHostedService(sp => sp.GetRequiredService<PartitionLeases>());
        // Ingest last: it waits for the leases' first pass, and stops first, so nothing new is taken in while the
        // partitions are handed back.
        services.AddHostedService(sp => sp.GetRequiredService<IngestEndpoints>());
        services.AddHostedService<FleetGauges>();
        services.AddCluster(config);
        services.AddAlertmanager(config);
        return services;
    }

    public static WebApplication MapRemediation(this WebApplication app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<BearerTokenFilter>();
        api.MapNodes();
        api.MapMe();
        api.MapApprovals();
        api.MapAutomation();
        api.MapHolds();
        api.MapRmaClose();
        api.MapIncidents();
        api.MapStats();
        app.MapRmaWebhook();
        app.MapHealth();
        app.MapSlack();
        app.MapAlertmanager();
        app.MapMetrics();
        app.MapWebPage();
        return app;
    }
}
