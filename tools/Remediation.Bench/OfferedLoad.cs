namespace Remediation.Bench;

/// <summary>
/// The rate a publisher was asked for against the one it reached (publishes confirmed over the time they took). A rate
/// more than <see cref="Tolerance"/> below the asked one is said in the output and in the JSON: whatever was measured
/// under it was measured under less load than the scenario names.
/// </summary>
public sealed record OfferedLoad(double AskedRate, long Sent, TimeSpan Elapsed)
{
    public const double Tolerance = 0.05;

    public double Rate => Elapsed > TimeSpan.Zero ? Sent / Elapsed.TotalSeconds : 0;

    public bool BelowAsked => Reaches(Rate, AskedRate) == false;

    /// <summary>Whether <paramref name="offered"/> is within <see cref="Tolerance"/> of <paramref name="asked"/>; null when nothing was asked.</summary>
    public static bool? Reaches(double offered, double asked) =>
        double.IsFinite(asked) ? double.IsFinite(offered) && offered >= asked * (1 - Tolerance) : null;

    public string Describe() =>
        $"{Sent} offered in {Elapsed.TotalSeconds:F1} s: {Rate:F0}/s of {AskedRate:F0}/s asked" +
        (BelowAsked ? $" - BELOW THE ASKED RATE ({Rate / AskedRate:P0} of it): what follows was measured under less load" : "");

    public Figures Figures(string prefix = "") => new Figures()
        .Add($"{prefix}asked_rate", AskedRate, 0).Add($"{prefix}offered_rate", Rate, 0).Add($"{prefix}offered_below_asked", BelowAsked);
}
