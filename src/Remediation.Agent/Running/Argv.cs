namespace Remediation.Agent.Running;

/// <summary>A program and its arguments, handed to the kernel as they are: no shell ever sees them.</summary>
public sealed record Argv(string File, IReadOnlyList<string> Args)
{
    public static Argv Of(string file, params string[] args) => new(file, args);

    /// <summary>How the vector reads in a log: each word single-quoted where it holds anything but safe characters.</summary>
    public override string ToString() => string.Join(' ', new[] { File }.Concat(Args).Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
