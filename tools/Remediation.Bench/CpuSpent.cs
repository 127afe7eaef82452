using System.Diagnostics;
using System.Globalization;

namespace Remediation.Bench;

/// <summary>
/// CPU time spent by the service (this process), the broker (beam.smp) and PostgreSQL (every postgres process), and
/// the machine's idle time, over a window. On a shared 2-core box the events/s of one drain swing by a quarter from
/// run to run; CPU milliseconds per thousand events swing far less, and say which of the three a change made cheaper.
/// A server on another machine reads as zero: only what runs here is counted.
/// </summary>
public sealed record CpuSpent(TimeSpan Service, TimeSpan Broker, TimeSpan Postgres, long IdleTicks, long AllTicks)
{
    public static CpuSpent Now()
    {
        var (idle, all) = Machine();
        return new(Process.GetCurrentProcess().TotalProcessorTime, Of("beam.smp"), Of("postgres"), idle, all);
    }

    public CpuSpent Since(CpuSpent before) =>
        new(Service - before.Service, Broker - before.Broker, Postgres - before.Postgres, IdleTicks - before.IdleTicks, AllTicks - before.AllTicks);

    /// <param name="per">What <paramref name="events"/> counts, in the keys: events, or a storm's faults.</param>
    public Figures Figures(long events, string per = "events") => new Figures()
        .Add($"cpu_service_ms_per_1k_{per}", PerThousand(Service, events), 2)
        .Add($"cpu_broker_ms_per_1k_{per}", PerThousand(Broker, events), 2)
        .Add($"cpu_postgres_ms_per_1k_{per}", PerThousand(Postgres, events), 2)
        .Add("cpu_idle_share", AllTicks == 0 ? double.NaN : IdleTicks / (double)AllTicks, 3);

    public string ToText(long events, string per = "events") =>
        $"CPU per 1,000 {per}: service {PerThousand(Service, events):F1} ms, broker {PerThousand(Broker, events):F1} ms, " +
        $"PostgreSQL {PerThousand(Postgres, events):F1} ms; machine idle {(AllTicks == 0 ? 0 : IdleTicks / (double)AllTicks):P0}";

    private static double PerThousand(TimeSpan spent, long events) => events == 0 ? double.NaN : spent.TotalMilliseconds * 1000 / events;

    /// <summary>A process that ended inside the window takes its time with it: the servers' processes here live long.</summary>
    private static TimeSpan Of(string name)
    {
        var total = TimeSpan.Zero;
        foreach (var process in Process.GetProcessesByName(name))
            using (process)
            {
                try
                {
                    total += process.TotalProcessorTime;
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // gone between the listing and the read, or not ours to read
                }
            }
        return total;
    }

    /// <summary>The first line of /proc/stat: jiffies by kind, summed over every core; idle and iowait are idle.</summary>
    private static (long Idle, long All) Machine()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return (fields[3] + fields[4], fields.Take(8).Sum());
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }
}
