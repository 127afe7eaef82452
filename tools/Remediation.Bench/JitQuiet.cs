using System.Diagnostics;
using System.Runtime;

namespace Remediation.Bench;

/// <summary>
/// Waits until the runtime stops compiling. After its first load a fresh service recompiles its hot methods in the
/// background (tiered compilation) for tens of seconds on this machine; measured on a drain that started right after a
/// start, the compiler's thread took 61 % of the process's samples. A long-running service has long finished, so a
/// figure meant for it is taken after this.
/// </summary>
public static class JitQuiet
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(500);

    /// <summary>Quiet: under 10 ms of compiling in the last second.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(10);

    public static async Task WaitAsync(BenchContext c, string scenario, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var start = JitInfo.GetCompilationTime();
        var history = new Queue<TimeSpan>([start]);
        while (clock.Elapsed < limit)
        {
            await Task.Delay(Every, ct);
            history.Enqueue(JitInfo.GetCompilationTime());
            if (history.Count > 3) history.Dequeue();
            if (history.Count == 3 && history.Last() - history.First() < Quiet) break;
        }
        var spent = JitInfo.GetCompilationTime() - start;
        var quiet = history.Count == 3 && history.Last() - history.First() < Quiet;
        await c.SayAsync($"{scenario}: waited {clock.Elapsed.TotalSeconds:F1} s for the JIT to go quiet ({spent.TotalSeconds:F1} s compiling meanwhile)" +
            (quiet ? "" : "; STILL COMPILING at the limit"));
    }
}

/// <summary>
/// Repeats a round of load until the runtime compiles little while it runs. <see cref="JitQuiet"/> waits on an idle
/// service, and an idle service compiles nothing; tiered compilation promotes a hot method only once it is called again,
/// so the first round of load after a quiet wait still compiled for half its time (max: 1.8 s of JIT in a 3.5 s drain,
/// then 0.9, 0.35, 0.28 and 0.18 s in the next four). A service that has run for an hour has done all of it.
/// </summary>
public static class WarmRounds
{
    /// <summary>Runs <paramref name="round"/> until one compiles for under <paramref name="quietShare"/> of its wall, at most <paramref name="most"/> times.</summary>
    public static async Task<int> RunAsync(BenchContext c, string scenario, int most, double quietShare, Func<int, Task> round, CancellationToken ct)
    {
        TimeSpan wall = default, compiled = default;
        var rounds = 0;
        while (rounds < most)
        {
            var jit = JitInfo.GetCompilationTime();
            var clock = Stopwatch.StartNew();
            await round(rounds++);
            (wall, compiled) = (clock.Elapsed, JitInfo.GetCompilationTime() - jit);
            if (compiled < wall * quietShare) break;
        }
        var quiet = compiled < wall * quietShare;
        await c.SayAsync($"{scenario}: warmed with {rounds} rounds of load; the last compiled for {compiled.TotalSeconds:F2} s of {wall.TotalSeconds:F1} s" +
            (quiet ? "" : "; STILL COMPILING at the limit"));
        return rounds;
    }
}
