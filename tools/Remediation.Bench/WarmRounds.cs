using System.Diagnostics;
using System.Runtime;

namespace Remediation.Bench;

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
