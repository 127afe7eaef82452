using Remediation.Service.Repair.Kubernetes;
using Remediation.Service.Repair.Rma;
using Remediation.Service.Repair.Slurm;

namespace Remediation.Service.Repair;

public static class ClusterRegistration
{
    /// <summary>The scheduler named by Scheduler:Kind and the RMA ticket client.</summary>
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration config)
    {
        var scheduler = config.GetSection("Scheduler").Get<SchedulerOptions>() ?? new SchedulerOptions();
        if (string.IsNullOrEmpty(scheduler.Slurm.Conf)) scheduler.Slurm.Conf = config["SLURM_CONF"];
        services.AddSingleton(scheduler);
        switch (scheduler.Kind.ToLowerInvariant())
        {
            case SchedulerOptions.None:
                services.AddSingleton<IScheduler, NoScheduler>();
                break;
            case SchedulerOptions.SlurmKind:
                services.AddSingleton(new Scontrol(scheduler.Slurm));
                services.AddSingleton<IScheduler, SlurmScheduler>();
                break;
            case SchedulerOptions.KubernetesKind:
                services.AddSingleton(scheduler.Kubernetes);
                services.AddSingleton(_ => KubernetesConnection.Create(scheduler.Kubernetes));
                services.AddSingleton<KubernetesDrain>();
                services.AddSingleton<IScheduler, KubernetesScheduler>();
                break;
            default:
                throw new InvalidOperationException(
                    $"Scheduler:Kind '{scheduler.Kind}' is not one of {SchedulerOptions.None}, {SchedulerOptions.SlurmKind}, {SchedulerOptions.KubernetesKind}");
        }

        var rma = config.GetSection("Rma").Get<RmaOptions>() ?? new RmaOptions();
        services.AddSingleton(rma);
        services.AddHttpClient<RmaTickets>(http => http.Timeout = rma.Timeout);

        services.AddSingleton<ClusterActuator>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterActuator>());
        return services;
    }
}
