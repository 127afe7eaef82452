using Remediation.Agent.Running;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// The host services that hold the NVIDIA driver open, so the modules cannot unload while they run: DCGM's host engine
/// and its exporter (they poll every GPU), Fabric Manager (NVSwitch systems) and the persistence daemon. Stopped in this
/// order before an unload, started again in the reverse order, and only those that were running.
/// </summary>
internal static class DriverUsers
{
    public static readonly string[] StopOrder = ["dcgm-exporter", "nvidia-dcgm", "nvidia-fabricmanager", "nvidia-persistenced"];

    public const string FabricManager = "nvidia-fabricmanager";

    public static Argv IsActive(string unit) => Argv.Of("systemctl", "is-active", unit);

    public static Argv Stop(string unit) => Argv.Of("systemctl", "stop", unit);

    public static Argv Start(string unit) => Argv.Of("systemctl", "start", unit);

    /// <summary>Stops every running user; the ones stopped, in stop order. Null (with the failure noted) when one will not stop.</summary>
    public static async Task<List<string>?> StopAsync(ActionContext context, List<string> stopped, CancellationToken ct)
    {
        foreach (var unit in StopOrder)
        {
            if (!(await context.RunAsync(IsActive(unit), ct)).Succeeded) continue;
            if (!(await context.RunAsync(Stop(unit), ct)).Succeeded) return null;
            stopped.Add(unit);
        }
        return stopped;
    }

    /// <summary>Starts again what was stopped, last stopped first; the units that would not start.</summary>
    public static async Task<List<string>> RestoreAsync(ActionContext context, IEnumerable<string> stopped, CancellationToken ct)
    {
        var failed = new List<string>();
        foreach (var unit in stopped.Reverse())
            if (!(await context.RunAsync(Start(unit), ct)).Succeeded) failed.Add(unit);
        return failed;
    }
}
