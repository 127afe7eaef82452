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
