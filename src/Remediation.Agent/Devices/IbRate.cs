using System.Globalization;
using System.Text.RegularExpressions;

namespace Remediation.Agent.Devices;

/// <summary>
/// A port's rate as the kernel writes <c>/sys/class/infiniband/CA/ports/N/rate</c> (<c>rate_show</c> in
/// drivers/infiniband/core/sysfs.c: "400 Gb/sec (4X NDR)", "2.5 Gb/sec (1X SDR)"): the speed in Gb/s, the width
/// (lanes) and the signalling name. A link that trained down shows fewer lanes or a slower name at a lower rate;
/// ibstat's "Rate: 400" is the same number.
/// </summary>
public sealed partial record IbRate(double Gbps, string? Width, string? Speed)
{
    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(?: Gb/sec)?(?: \((\d+X)(?: ([A-Z0-9]+))?\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Text();

    /// <summary>The kernel's text, or a bare Gb/s number as a runbook or an inventory may give it; null when neither.</summary>
    public static IbRate? Parse(string? text) =>
        text is not null && Text().Match(text.Trim()) is { Success: true } m
            ? new IbRate(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                m.Groups[2].Success ? m.Groups[2].Value : null, m.Groups[3].Success ? m.Groups[3].Value : null)
            : null;

    public static IbRate? Of(HostRoot root, IbPort port) => Parse(root.ReadText($"{SysfsPaths.Infiniband}/{port.Ca}/ports/{port.Number}/rate"));

    /// <summary>How this rate falls short of <paramref name="expected"/>, or null when it does not (unstated parts are not compared).</summary>
    public string? ShortOf(IbRate expected)
    {
        var gaps = new List<string>();
        if (Gbps < expected.Gbps) gaps.Add(string.Create(CultureInfo.InvariantCulture, $"{Gbps:0.###} of {expected.Gbps:0.###} Gb/s"));
        if (expected.Width is not null && Width != expected.Width) gaps.Add($"width {Width ?? "unknown"} of {expected.Width}");
        if (expected.Speed is not null && Speed != expected.Speed) gaps.Add($"speed {Speed ?? "unknown"} of {expected.Speed}");
        return gaps.Count == 0 ? null : string.Join(", ", gaps);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Gbps:0.###} Gb/sec") + (Width is null ? "" : $" ({Width}{(Speed is null ? "" : " " + Speed)})");
}
