namespace Remediation.Agent.Tests.Support;

public static class SmiFixtures
{
    public const string L4 = "l4-x2-driver555.xml";
    public const string Laptop = "rtx4070-laptop-driver575.xml";

    public static string Read(string name) => File.ReadAllText(Path.Combine(Fixtures.Folder, "nvidia-smi", name));

    /// <summary>The fixture with one element's text changed inside the GPU block of <paramref name="busId"/>.</summary>
    public static string With(string xml, string busId, string element, string value)
    {
        var start = xml.IndexOf($"<gpu id=\"{busId}\">", StringComparison.Ordinal);
        var end = xml.IndexOf("</gpu>", start, StringComparison.Ordinal);
        var open = $"<{element}>";
        var at = xml.IndexOf(open, start, StringComparison.Ordinal);
        if (start < 0 || at < 0 || at > end) throw new ArgumentException($"no <{element}> in GPU {busId}");
        var close = xml.IndexOf($"</{element}>", at, StringComparison.Ordinal);
        return xml[..(at + open.Length)] + value + xml[close..];
    }
}
