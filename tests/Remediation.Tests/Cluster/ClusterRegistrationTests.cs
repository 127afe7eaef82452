using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Service.Repair;
using Remediation.Service.Repair.Kubernetes;
using Remediation.Service.Repair.Rma;
using Remediation.Service.Repair.Slurm;

namespace Remediation.Tests.Cluster;

public sealed class ClusterRegistrationTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        return services.AddCluster(config).BuildServiceProvider();
    }

    [Fact]
    public async Task Without_a_scheduler_kind_cordon_says_honestly_that_nothing_was_done()
    {
        var scheduler = Build().GetRequiredService<IScheduler>();

        Assert.IsType<NoScheduler>(scheduler);
        Assert.Equal(new SchedulerResult(true, NoScheduler.Output), await scheduler.CordonAsync("gpu-node-1", "inc-1", CancellationToken.None));
    }

    [Fact]
    public void Each_kind_gets_its_adapter_and_slurm_reads_its_conf_from_configuration()
    {
        using var slurm = Build(("Scheduler:Kind", "slurm"), ("Scheduler:Slurm:Conf", "/etc/slurm/test.conf"));
        using var kubernetes = Build(("Scheduler:Kind", "Kubernetes"), ("Scheduler:Kubernetes:Host", "http://127.0.0.1:1"));

        Assert.IsType<SlurmScheduler>(slurm.GetRequiredService<IScheduler>());
        Assert.Equal("/etc/slurm/test.conf", slurm.GetRequiredService<SchedulerOptions>().Slurm.Conf);
        Assert.IsType<KubernetesScheduler>(kubernetes.GetRequiredService<IScheduler>());
    }

    [Theory]
    [InlineData("slurm", true)]
    [InlineData("Slurm", true)]
    [InlineData("kubernetes", false)]
    [InlineData("none", false)]
    public void Only_slurm_takes_reboots_from_the_agent(string kind, bool reboots)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Scheduler:Kind", (string?)kind)]).Build();
        using var built = Build(("Scheduler:Kind", kind), ("Scheduler:Kubernetes:Host", "http://127.0.0.1:1"));

        Assert.Equal(reboots, SchedulerOptions.Reboots(config));
        Assert.Equal(reboots, built.GetRequiredService<IScheduler>() is ISchedulerReboot);
    }

    [Fact]
    public void Slurm_falls_back_to_the_SLURM_CONF_setting() =>
        Assert.Equal("/srv/slurm.conf", Build(("Scheduler:Kind", "slurm"), ("SLURM_CONF", "/srv/slurm.conf")).GetRequiredService<SchedulerOptions>().Slurm.Conf);

    [Fact]
    public void An_unknown_kind_stops_start_up_naming_the_choices() =>
        Assert.Contains("not one of none, slurm, kubernetes",
            Assert.Throws<InvalidOperationException>(() => Build(("Scheduler:Kind", "pbs"))).Message);

    [Fact]
    public void Rma_tickets_are_registered_with_their_options()
    {
        using var provider = Build(("Rma:WebhookUrl", "http://127.0.0.1:9/rma"), ("Rma:Token", "t"));

        Assert.NotNull(provider.GetRequiredService<RmaTickets>());
        Assert.Equal("http://127.0.0.1:9/rma", provider.GetRequiredService<RmaOptions>().WebhookUrl);
    }
}
