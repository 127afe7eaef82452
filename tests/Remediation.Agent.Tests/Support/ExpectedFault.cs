namespace Remediation.Agent.Tests.Support;

/// <summary>What a fixture's "# expect:" comment says the line holds.</summary>
public sealed record ExpectedFault(string Kind, int? Xid, string? Device)
{
    public static ExpectedFault? Parse(string spec)
    {
        var words = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is ["nothing"]) return null;
        return words switch
        {
            ["xid", var xid, var device] => new ExpectedFault("xid", int.Parse(xid), OrNull(device)),
            [var kind, var device] when kind != "xid" => new ExpectedFault(kind, null, OrNull(device)),
            _ => throw new FormatException($"cannot read '# expect: {spec}'"),
        };
    }

    public override string ToString() => Xid is null ? $"{Kind} {Device ?? "-"}" : $"{Kind} {Xid} {Device ?? "-"}";

    private static string? OrNull(string device) => device == "-" ? null : device;
}
