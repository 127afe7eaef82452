using Remediation.Agent.Detecting.KernelLog;

namespace Remediation.Agent.Tests;

public sealed class BoundedLineReaderTests
{
    private static List<string> ReadAll(TextReader input, int maxLineLength = BoundedLineReader.DefaultMaxLineLength)
    {
        var reader = new BoundedLineReader(input, maxLineLength);
        var lines = new List<string>();
        while (reader.TryReadLine(out var line)) lines.Add(line.ToString());
        return lines;
    }

    [Fact]
    public void Splits_on_newline_and_keeps_an_unterminated_last_line()
    {
        Assert.Equal(["a", "", "b"], ReadAll(new StringReader("a\n\nb")));
    }

    [Fact]
    public void Empty_input_has_no_lines()
    {
        Assert.Empty(ReadAll(new StringReader("")));
    }

    [Fact]
    public void Overlong_line_is_dropped_and_reading_goes_on()
    {
        var input = new string('x', 10_000) + "\nshort\n" + new string('y', 11) + "\nend";

        Assert.Equal(["short", "end"], ReadAll(new StringReader(input), maxLineLength: 10));
    }

    [Fact]
    public void Line_at_exactly_the_limit_is_kept()
    {
        Assert.Equal(["0123456789"], ReadAll(new StringReader("0123456789\n"), maxLineLength: 10));
    }

    [Fact]
    public void Overlong_last_line_without_newline_is_dropped()
    {
        Assert.Equal(["ok"], ReadAll(new StringReader("ok\n" + new string('z', 50_000)), maxLineLength: 100));
    }

    [Fact]
    public void Overlong_last_line_arriving_in_pieces_leaves_no_tail_behind()
    {
        Assert.Equal(["ok"], ReadAll(new TrickleReader("ok\n" + new string('z', 250)), maxLineLength: 100));
    }

    [Fact]
    public void Lines_split_across_reads_come_out_whole()
    {
        Assert.Equal(["first line", "second"], ReadAll(new TrickleReader("first line\nsecond\n")));
    }

    [Fact]
    public void Megabyte_line_of_junk_is_dropped()
    {
        var input = new string('\0', 1 << 20) + "\nafter";

        Assert.Equal(["after"], ReadAll(new StringReader(input)));
    }

    private sealed class TrickleReader(string text) : TextReader
    {
        private int position;

        public override int Read(char[] buffer, int index, int count)
        {
            if (position >= text.Length || count == 0) return 0;
            buffer[index] = text[position++];
            return 1;
        }
    }
}
