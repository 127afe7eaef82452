namespace Remediation.Agent.Tests.Support;

/// <summary>What a fixture's "# expect:" comment says the line holds.</summary>
public sealed record ExpectedFault(string Kind, int? Xid, string? Device, int? Sxid = null, int? Link = null, bool? Fatal = null)
{
    public static ExpectedFault? Parse(string spec)
    {
        var words = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is ["nothing"]) return null;
        return words switch
        {
            ["xid", var xid, var device] => new ExpectedFault("xid", int.Parse(xid), OrNull(device)),
            ["sxid", var sxid, var device, var link, var fatal] =>
                new ExpectedFault("sxid", null, OrNull(device), int.Parse(sxid), link == "-" ? null : int.Parse(link), Fatality(fatal)),
            [var kind, var device] when kind is not ("xid" or "sxid") => new ExpectedFault(kind, null, OrNull(device)),
            _ => throw new FormatException($"cannot read '# expect: {spec}'"),
        };
    }

    public override string ToString() => (Xid, Sxid) switch
    {
        (not null, _) => $"{Kind} {Xid} {Device ?? "-"}",
        (_, not null) => $"{Kind} {Sxid} {Device ?? "-"} {Link?.ToString() ?? "-"} {Fatal switch { true => "fatal", false => "non-fatal", null => "unknown" }}",
        _ => $"{Kind} {Device ?? "-"}",
    };

    private static string? OrNull(string device) => device == "-" ? null : device;

    private static bool? Fatality(string word) => word switch
    {
        "fatal" => true,
        "non-fatal" => false,
        "unknown" => null,
        _ => throw new FormatException($"'{word}' is not fatal, non-fatal or unknown"),
    };
}
