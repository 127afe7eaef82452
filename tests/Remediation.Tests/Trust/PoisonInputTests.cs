using System.Text;
using Npgsql;
using Remediation.Contracts;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Trust;

/// <summary>
/// What the database and the JSON decoder choke on never reaches the commit, and what still fails there is isolated:
/// one bad fault stops no other node.
/// </summary>
public sealed class PoisonInputTests(Servers servers) : ServiceTests(servers)
{
    private const string Time = "2026-11-25T10:00:00Z";

    [Fact]
    public async Task Text_the_store_cannot_hold_is_parked_with_its_reason_and_good_faults_go_on()
    {
        await Service.PublishRawAsync($$"""{"eventId":"p-1","nodeId":"gpu-poison-1","kind":"xid","xid":79,"message":"fell off\u0000the bus","observedAt":"{{Time}}"}""");
        await Service.PublishRawAsync($$"""{"eventId":"p-2","nodeId":"gpu-poison-2","kind":"xid","xid":79,"message":"half \ud800 a pair","observedAt":"{{Time}}"}""");
        await Service.PublishRawAsync($$"""{"eventId":"p-3","nodeId":"gpu-poison-3\u001b[2J","kind":"xid","xid":79,"observedAt":"{{Time}}"}""");
        await Service.PublishRawAsync($$"""{"eventId":"p-4","nodeId":"gpu-poison-4","kind":"xid","xid":79,"message":"{{new string('x', 9000)}}","observedAt":"{{Time}}"}""");
        await Service.PublishRawAsync(new string('[', 10_000) + new string(']', 10_000));
        await Service.PublishRawAsync($$"""{"eventId":"p-6","nodeId":"gpu-poison-6","kind":"xid","xid":79,"message":"{{new string('y', 600_000)}}","observedAt":"{{Time}}"}""");
        var invalidUtf8 = Encoding.UTF8.GetBytes($$"""{"eventId":"p-7","nodeId":"gpu-poison-7","kind":"xid","xid":79,"message":"@@","observedAt":"{{Time}}"}""");
        await PublishBytesAsync(Replace(invalidUtf8, "@@"u8.ToArray(), [0xC3, 0x28]));
        await Service.PublishAsync(Faults.Xid("gpu-after-poison", 13));

        await Service.WaitForNodeAsync("gpu-after-poison", n => n.GetProperty("version").GetInt64() >= 1);
        var reasons = (await InvalidQueue.DrainAsync(Service, Exchanges.InvalidFaultsQueue, 7)).Select(p => p.Reason).ToList();

        Assert.Equal(7, reasons.Count);
        Assert.Contains(reasons, r => r.Contains("message contains a NUL character"));
        Assert.Contains(reasons, r => r.Contains("unpaired surrogate") || r.StartsWith("undecodable JSON") || r.StartsWith("malformed JSON"));
        Assert.Contains(reasons, r => r.Contains("nodeId contains control character U+001B"));
        Assert.Contains(reasons, r => r.Contains("message is 9000 characters long (at most 8192)"));
        Assert.Contains(reasons, r => r.Contains("maximum configured depth"));
        Assert.Contains(reasons, r => r.StartsWith("body is") && r.Contains("at most 524288"));
        Assert.True(reasons.Any(r => r.Contains("UTF-8") || r.Contains("UTF-16")), string.Join("\n", reasons));
        for (var i = 1; i <= 7; i++)
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Service.Http.GetAsync($"/api/nodes/gpu-poison-{i}")).StatusCode);
    }

    [Fact]
    public async Task A_fault_the_database_refuses_is_isolated_and_parked_while_the_rest_of_its_batch_commits()
    {
        // Stands in for any content check the database has and the validator misses: the event row is refused with a
        // data exception, as PostgreSQL refuses a NUL in jsonb (22P05).
        await using (var db = new NpgsqlConnection(Servers.Postgres))
        {
            await db.OpenAsync();
            var schema = Service.Schema;
            await using var create = new NpgsqlCommand($"""
                create or replace function {schema}.refuse_marked() returns trigger language plpgsql as $$
                begin
                  if new.data::text like '%refuse-me%' then raise exception 'refused for the test' using errcode = '22P05'; end if;
                  return new;
                end $$;
                create trigger refuse_marked before insert on {schema}.mt_events for each row execute function {schema}.refuse_marked();
                """, db);
            await create.ExecuteNonQueryAsync();
        }
        await Service.StopServiceAsync();
        var poisoned = Faults.Xid("gpu-refused", 79) with { Message = "refuse-me" };
        var good = Enumerable.Range(0, 20).Select(i => Faults.Xid($"gpu-batchmate-{i}", 13)).ToArray();
        await Service.PublishAsync([.. good[..10], poisoned, .. good[10..]]);
        await Service.StartServiceAsync();

        foreach (var fault in good) await Service.WaitForNodeAsync(fault.NodeId, n => n.GetProperty("version").GetInt64() >= 1);
        var parked = await InvalidQueue.DrainAsync(Service, Exchanges.InvalidFaultsQueue, 1);

        Assert.Equal("storage refused it: 22P05: refused for the test", parked.Single().Reason);
        Assert.Contains("refuse-me", parked.Single().Body);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Service.Http.GetAsync("/api/nodes/gpu-refused")).StatusCode);
    }

    private static byte[] Replace(byte[] body, byte[] marker, byte[] with)
    {
        var at = body.AsSpan().IndexOf(marker);
        return [.. body[..at], .. with, .. body[(at + marker.Length)..]];
    }

    private async Task PublishBytesAsync(byte[] body)
    {
        await using var publisher = await Remediation.Simulator.FaultPublisher.CreateAsync(Service.Bus, BrokerUser.Of(Service.RabbitMq), CancellationToken.None);
        await publisher.PublishAsync(body, CancellationToken.None);
    }
}
