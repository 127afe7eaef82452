namespace Remediation.Core.Runbooks;

/// <summary>
/// Finds the line to fix when YamlDotNet rejects a file. Its scanner puts a tab that breaks indentation on the
/// line before (or on 1:1), and an unclosed flow mapping on wherever the scan gave up, sometimes with no position.
/// The two mistakes people make by hand are easy to find exactly, so look for them first.
/// </summary>
internal static class YamlLineFinder
{
    public static (int Line, string Reason)? Find(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            if (lines[i][..indent].Contains('\t')) return (i + 1, "a tab in the indentation (YAML indents with spaces only)");
        }
        return UnclosedFlow(lines);
    }

    private static (int Line, string Reason)? UnclosedFlow(string[] lines)
    {
        var open = new Stack<(char Bracket, int Line)>();
        for (var i = 0; i < lines.Length; i++)
        {
            char? quote = null;
            var line = lines[i];
            for (var c = 0; c < line.Length; c++)
            {
                var ch = line[c];
                if (quote is { } q)
                {
                    if (ch == q) quote = null;
                    continue;
                }
                if (ch is '"' or '\'') quote = ch;
                else if (ch == '#' && (c == 0 || char.IsWhiteSpace(line[c - 1]))) break;
                else if (ch is '{' or '[') open.Push((ch, i + 1));
                else if (ch is '}' or ']' && open.Count > 0) open.Pop();
            }
            // A flow collection may span lines, but a new block key at or left of the opener's indentation ends it.
            if (open.Count > 0 && i + 1 < lines.Length && StartsBlockKey(lines[i + 1]) && IndentOf(lines[i + 1]) <= IndentOf(lines[open.Peek().Line - 1]))
                return Unclosed(open.Peek());
        }
        return open.Count > 0 ? Unclosed(open.Peek()) : null;
    }

    private static (int, string) Unclosed((char Bracket, int Line) open) =>
        (open.Line, $"'{open.Bracket}' is never closed with '{(open.Bracket == '{' ? '}' : ']')}'");

    private static int IndentOf(string line) => line.Length - line.TrimStart(' ').Length;

    private static bool StartsBlockKey(string line)
    {
        var t = line.TrimStart(' ');
        return t.Length > 0 && !t.StartsWith('#') && (t.StartsWith("- ") || t.Contains(": ") || t.EndsWith(':'));
    }
}
