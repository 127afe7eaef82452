using Remediation.Faults.Checking;
using Remediation.Faults.Harness;
using Remediation.Faults.Reporting;
using Remediation.Faults.Scenarios;

// make faults: crash and fault scenarios against the real service process and the local servers. Prints one row per
// scenario, writes bench/results/faults.json, and exits 1 if anything was lost or done twice.
var root = FindRoot();
var repeat = args.SkipWhile(a => a != "--repeat").Skip(1).Select(int.Parse).FirstOrDefault(1);
var only = args.Where((a, i) => !a.StartsWith('-') && (i == 0 || args[i - 1] != "--repeat")).ToHashSet();
var keep = args.Contains("--keep");
var dll = Path.Combine(root, "src/Remediation.Service/bin/Release/net10.0/Remediation.Service.dll");
if (!File.Exists(dll))
{
    Console.Error.WriteLine($"remediation-faults: {dll} is missing; build Release first (make faults does)");
    return 2;
}
var logDir = Path.Combine(root, ".run/faults");
Directory.CreateDirectory(logDir);
var servers = new Servers();
var stamp = DateTime.UtcNow.ToString("MMddHHmmss");
IScenario[] scenarios =
[
    new KillDuringStorm(), new KillDuringRunbooks(), new KillOneOfThree(), RestartUnderLoad.RabbitMq(), RestartUnderLoad.RabbitMqThrice(),
    RestartUnderLoad.RabbitMqDown(), new KillWhileBrokerDown(),
    RestartUnderLoad.Postgres(), RestartUnderLoad.PostgresDown(), new DuplicatesUnderLoad(), FuzzedMessages.Malformed(), FuzzedMessages.Poisoned(),
    new SpoofedSenders(),
];
var results = new List<ScenarioResult>();
// --repeat N runs each chosen scenario N times in a row: a recovery that works most of the time is not good enough.
foreach (var scenario in scenarios.Where(s => only.Count == 0 || only.Contains(s.Name)))
for (var run = 1; run <= repeat; run++)
{
    using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
    var runStamp = repeat == 1 ? stamp : $"{stamp}r{run}";
    Console.WriteLine($"faults: {scenario.Name}{(repeat == 1 ? "" : $" run {run} of {repeat}")} ...");
    var started = DateTime.UtcNow;
    ScenarioResult result;
    Scene? scene = null;
    try
    {
        scene = await Scene.OpenAsync(servers, scenario.Name, dll, logDir, runStamp, cancel.Token);
        result = ProtocolErrors.Check(await scenario.RunAsync(scene, cancel.Token), scene.ServiceLogs);
        scene.Keep = keep || !result.Passed;
    }
    catch (Exception e)
    {
        // A run that crashes or runs out of time is a failed run with its reason, never the end of the whole suite.
        result = ScenarioResult.Crashed(scenario.Name,
            cancel.IsCancellationRequested ? new TimeoutException($"the run was cancelled after {(DateTime.UtcNow - started).TotalSeconds:F0}s", e) : e);
        if (scene is not null) scene.Keep = true;
    }
    if (scene is not null) await scene.DisposeAsync();
    results.Add(result);
    Console.WriteLine($"faults: {scenario.Name} {(result.Passed ? "PASS" : "FAIL")} in {(DateTime.UtcNow - started).TotalSeconds:F0}s"
        + (result.Passed ? "" : $" (service log and data kept: {logDir}, schema faults_{scenario.Name.Replace('-', '_')}_{runStamp})"));
}

Console.WriteLine();
Console.Write(ResultTable.Format(results));
if (repeat > 1)
    foreach (var group in results.GroupBy(r => r.Scenario))
        Console.WriteLine($"{group.Key}: {group.Count(r => r.Passed)} of {group.Count()} runs passed");
var json = Path.Combine(root, "bench/results/faults.json");
await ResultTable.WriteJsonAsync(json, results, $"{Environment.ProcessorCount} cores, {Environment.OSVersion}");
Console.WriteLine($"written to {Path.GetRelativePath(root, json)}");
return results.All(r => r.Passed) ? 0 : 1;

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Remediation.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
