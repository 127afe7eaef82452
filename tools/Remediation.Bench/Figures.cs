namespace Remediation.Bench;

/// <summary>One scenario's figures as they go into latest.json: rounded, and null where nothing was measured (JSON has no NaN).</summary>
public sealed class Figures : Dictionary<string, object?>
{
    public Figures Add(string key, double value, int digits = 1)
    {
        this[key] = double.IsFinite(value) ? Math.Round(value, digits) : null;
        return this;
    }

    public Figures Add(string key, long value)
    {
        this[key] = value;
        return this;
    }

    public Figures Add(string key, bool value)
    {
        this[key] = value;
        return this;
    }

    public Figures AddAll(IReadOnlyDictionary<string, object?> more)
    {
        foreach (var (key, value) in more) this[key] = value;
        return this;
    }

    public double Number(string key) => this.GetValueOrDefault(key) is double d ? d : double.NaN;
}
