namespace Remediation.Agent.Detecting.KernelLog;

/// <summary>
/// Splits a character stream into lines without allocating per line, and drops any line longer than the limit
/// (no kernel record comes close; a line that long is junk, and buffering it whole could exhaust memory).
/// A line handed out is valid until the next call.
/// </summary>
public sealed class BoundedLineReader(TextReader reader, int maxLineLength = BoundedLineReader.DefaultMaxLineLength)
{
    public const int DefaultMaxLineLength = 16 * 1024;

    private readonly char[] buffer = new char[Math.Max(maxLineLength + 1, 4096)];
    private int start;
    private int end;
    private bool discarding;

    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf('\n');
            if (newline >= 0)
            {
                var found = buffer.AsSpan(start, newline);
                start += newline + 1;
                if (discarding || found.Length > maxLineLength)
                {
                    discarding = false;
                    continue;
                }
                line = found;
                return true;
            }

            if (end - start > maxLineLength)
            {
                discarding = true;
                start = end = 0;
            }
            else if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }

            var read = reader.Read(buffer, end, buffer.Length - end);
            if (read > 0)
            {
                end += read;
                continue;
            }

            var last = buffer.AsSpan(start, end - start);
            start = end;
            if (discarding || last.IsEmpty || last.Length > maxLineLength)
            {
                discarding = false;
                line = default;
                return false;
            }
            line = last;
            return true;
        }
    }
}
