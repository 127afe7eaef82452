using Remediation.Agent.Devices;
using Remediation.Agent.Running;

namespace Remediation.Agent.Executing.Actions;

/// <summary>
/// The NVIDIA kernel modules, users first: GPUDirect RDMA (nvidia_peermem, GDRCopy's gdrdrv), GPUDirect Storage
/// (nvidia_fs), then nvidia_uvm, nvidia_drm, nvidia_modeset and the core nvidia module. Unloaded in this order, loaded
/// back in the reverse one.
/// </summary>
internal static class DriverModules
{
    public static readonly string[] UnloadOrder = ["nvidia_peermem", "gdrdrv", "nvidia_fs", "nvidia_uvm", "nvidia_drm", "nvidia_modeset", "nvidia"];

    public static bool IsLoaded(HostRoot root, string module) => root.Exists($"{SysfsPaths.Modules}/{module}");

    /// <summary>The loaded modules in unload order; nvidia always, since loading it back is the point of a reload.</summary>
    public static List<string> Loaded(HostRoot root)
    {
        var loaded = UnloadOrder.Where(m => IsLoaded(root, m)).ToList();
        if (!loaded.Contains("nvidia")) loaded.Add("nvidia");
        return loaded;
    }

    public static Argv Unload(string module) => Argv.Of("modprobe", "-r", module);

    public static Argv Load(string module) => Argv.Of("modprobe", module);

    /// <summary>Loads <paramref name="modules"/> back, the core module first; the ones that would not load.</summary>
    public static async Task<List<string>> LoadAsync(ActionContext context, IEnumerable<string> modules, CancellationToken ct)
    {
        var failed = new List<string>();
        foreach (var module in modules.Reverse())
            if (!(await context.RunAsync(Load(module), ct)).Succeeded) failed.Add(module);
        return failed;
    }
}
