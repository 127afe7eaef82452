using System.Diagnostics;
using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Faults.Checking;
using Remediation.Faults.Harness;

namespace Remediation.Faults.Scenarios;

/// <summary>One scenario's world: its own vhost and schema, the service process(es), a connection, the store.</summary>
public sealed class Scene : IAsyncDisposable
{
    private readonly Servers _servers;
    private readonly List<ServiceProcess> _services = [];
    private readonly string _vhost;

    private Scene(Servers servers, string name, string serviceDll, string logDir, Uri vhostUri, string vhost, string schema, Uri serviceUri)
    {
        ServiceUri = serviceUri;
        _servers = servers;
        _vhost = vhost;
        Name = name;
        ServiceDll = serviceDll;
        LogDir = logDir;
        VhostUri = vhostUri;
        Schema = schema;
        Store = new StoreReader(servers.Postgres, schema);
    }

    public string Name { get; }
    public string ServiceDll { get; }
    public string LogDir { get; }
    /// <summary>The harness's own connection: the broker's administrator, trusted by the service like the demo's simulator.</summary>
    public Uri VhostUri { get; }

    /// <summary>What the service connects as: the least-privilege user deploy/rabbitmq ships.</summary>
    public Uri ServiceUri { get; }
    public string Schema { get; }
    public StoreReader Store { get; }
    public Servers Servers => _servers;
    public string Vhost => _vhost;
    public IConnection Connection { get; private set; } = null!;
    public bool Keep { get; set; }

    public static async Task<Scene> OpenAsync(Servers servers, string name, string serviceDll, string logDir, string stamp, CancellationToken ct)
    {
        var id = $"faults_{name.Replace('-', '_')}_{stamp}";
        var vhost = id.Replace('_', '-');
        var admin = await servers.CreateVhostAsync(vhost);
        var scene = new Scene(servers, name, serviceDll, logDir, admin, vhost, id, await servers.Vhosts.CreateServiceUserAsync(vhost));
        scene.Connection = await Broker.ConnectAsync(scene.VhostUri, $"faults-suite-{name}", ct);
        return scene;
    }

    public async Task<ServiceProcess> StartServiceAsync(CancellationToken ct, params string[] settings)
    {
        var service = new ServiceProcess(ServiceDll, _servers.Postgres, ServiceUri, Schema,
            Path.Combine(LogDir, $"{Schema}-service{_services.Count + 1}.log"), [$"--Ingest:TrustedPublishers={BrokerUser.Of(VhostUri)}", .. settings]);
        _services.Add(service);
        await service.StartAsync(ct);
        return service;
    }

    public async Task<RecordingFleet> StartFleetAsync(IReadOnlyList<string> nodes, TimeSpan latency, CancellationToken ct, bool answerTwice = false)
    {
        var fleet = new RecordingFleet(Connection, VhostUri, nodes, latency, answerTwice);
        await fleet.StartAsync(ct);
        return fleet;
    }

    /// <summary>The logs of every service process this scene started.</summary>
    public IEnumerable<string> ServiceLogs => _services.Select((_, i) => Path.Combine(LogDir, $"{Schema}-service{i + 1}.log")).Where(File.Exists);

    public ReliablePublisher Publisher() => new(VhostUri, Exchanges.Faults);

    public void Say(string what) => Console.WriteLine($"faults:   {DateTime.Now:HH:mm:ss} {Name}: {what}");

    /// <summary>
    /// Waits until every published fault is accounted for in the streams, by the same reckoning as the verdict: a
    /// plain total would be reached early whenever repeats are counted twice.
    /// </summary>
    public Task<TimeSpan> WaitUntilRecordedAsync(IReadOnlyCollection<FaultDetected> faults, bool runbooksEnded, TimeSpan timeout, CancellationToken ct) =>
        WaitAsync(async () => FaultAccount.Of(faults, await Store.SnapshotAsync(ct)).Lost == 0
            && (!runbooksEnded || await Store.BusyNodesAsync(ct) == 0), timeout, ct, pollSeconds: 1);

    /// <summary>How much longer a service that stopped itself as wedged, and was started afresh, has to catch up.</summary>
    private static readonly TimeSpan AfterRestart = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Recovery: seconds from <paramref name="since"/> until every fault is recorded and every runbook has ended, or
    /// null with a FAIL note when that did not happen within the timeout.
    /// </summary>
    public async Task<double?> RecoveryAsync(
        IReadOnlyCollection<FaultDetected> faults, Stopwatch since, string after, TimeSpan timeout, List<string> notes, CancellationToken ct)
    {
        try
        {
            try
            {
                await WaitUntilRecordedAsync(faults, runbooksEnded: true, timeout, ct);
            }
            catch (TimeoutException) when (_services.Any(s => s.Restarts > 0 || s.Wedging))
            {
                // A service that stopped itself as wedged is started afresh and must then catch up from the backlog.
                await WaitUntilRecordedAsync(faults, runbooksEnded: true, AfterRestart, ct);
            }
            return since.Elapsed.TotalSeconds;
        }
        catch (TimeoutException)
        {
            notes.Add($"FAIL: not everything was recorded {timeout.TotalSeconds:F0}s after {after} ({await Store.FaultsAccountedAsync(ct)} of {faults.Count} faults)");
            // A stall is a bug to find, not only a verdict: keep what each live process was waiting on.
            foreach (var service in _services)
                if (await service.DumpAsync(ct) is { } dump) notes.Add($"stalled service dumped to {dump}");
            return null;
        }
        finally
        {
            foreach (var service in _services.Where(s => s.Restarts > 0))
                notes.Add($"the service stopped itself as wedged {service.Restarts} time(s) and was started again, as its supervisor would");
        }
    }

    /// <summary>Polls until the condition holds; returns how long that took.</summary>
    public static async Task<TimeSpan> WaitAsync(Func<Task<bool>> done, TimeSpan timeout, CancellationToken ct, double pollSeconds = 0.25)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (await done()) return clock.Elapsed;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // PostgreSQL may be restarting under us; ask again.
            }
            await Task.Delay(TimeSpan.FromSeconds(pollSeconds), ct);
        }
        throw new TimeoutException($"not done within {timeout.TotalSeconds:F0}s");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services) await service.DisposeAsync();
        if (Connection is { IsOpen: true }) await Closing.QuietlyAsync(() => Connection.CloseAsync());
        if (Keep) return;
        await _servers.Vhosts.DeleteUserAsync($"svc-{_vhost}");
        await _servers.DeleteVhostAsync(_vhost);
        await _servers.DropSchemaAsync(Schema);
    }
}
