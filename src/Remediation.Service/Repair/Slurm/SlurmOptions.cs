namespace Remediation.Service.Repair.Slurm;

/// <summary>Configuration section <c>Scheduler:Slurm</c>.</summary>
public sealed class SlurmOptions
{
    /// <summary>The scontrol binary; a path, or a name found on PATH.</summary>
    public string Scontrol { get; set; } = "scontrol";

    /// <summary>Passed to scontrol as SLURM_CONF; when unset scontrol inherits the service's environment.</summary>
    public string? Conf { get; set; }

    /// <summary>scontrol blocks while slurmctld is unreachable; a step must not hang on it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
