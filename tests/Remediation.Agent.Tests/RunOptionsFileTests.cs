using Remediation.Agent.Commands;
using Remediation.Agent.Executing.Actions;

namespace Remediation.Agent.Tests;

/// <summary>Per-node broker credentials come from a file the node was provisioned with, not from the pod spec.</summary>
public sealed class RunOptionsFileTests
{
    [Fact]
    public void The_broker_uri_is_read_from_the_file_and_its_user_is_the_node()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "amqp://gpu-node-017:s3cret@broker:5672/\n");

            Assert.True(RunOptions.TryRead(["--rabbitmq-file", file, "--node", "gpu-node-017"], "host", null, out var options, out var problem), problem);

            Assert.Equal(new Uri("amqp://gpu-node-017:s3cret@broker:5672/"), options.Broker);
            Assert.Equal("gpu-node-017", Remediation.Contracts.BrokerUser.Of(options.Broker));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(new string[0], RebootVia.Systemctl)]
    [InlineData(new[] { "--reboot-via", "systemctl" }, RebootVia.Systemctl)]
    [InlineData(new[] { "--reboot-via", "host-pid1" }, RebootVia.HostPid1)]
    public void The_reboot_path_is_systemctl_unless_told_to_go_through_pid_1(string[] flags, RebootVia expected)
    {
        Assert.True(RunOptions.TryRead([.. flags, "--rabbitmq", "amqp://n:p@broker/"], "gpu-node-017", null, out var options, out var problem), problem);
        Assert.Equal(expected, options.RebootVia);
    }

    [Fact]
    public void An_unknown_reboot_path_is_a_usage_error_listing_the_known_ones()
    {
        Assert.False(RunOptions.TryRead(["--reboot-via", "ssh", "--rabbitmq", "amqp://n:p@broker/"], "gpu-node-017", null, out _, out var problem));
        Assert.Equal("--reboot-via 'ssh' is not one of: systemctl, host-pid1", problem);
    }

    [Fact]
    public void An_unreadable_file_is_a_usage_error_naming_it()
    {
        Assert.False(RunOptions.TryRead(["--rabbitmq-file", "/nonexistent/rabbitmq.uri"], "host", null, out _, out var problem));
        Assert.Equal("--rabbitmq-file '/nonexistent/rabbitmq.uri' cannot be read", problem);
    }
}
