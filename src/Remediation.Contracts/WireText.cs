namespace Remediation.Contracts;

/// <summary>
/// What a text field may hold: valid UTF-16 (no unpaired surrogate, which UTF-8 cannot carry), no NUL (PostgreSQL's
/// text and jsonb refuse it, and one refused row used to fail a whole batch), and within its cap. Ids additionally hold
/// no control character at all, since they become stream keys, routing keys, log lines and scheduler arguments.
/// </summary>
public static class WireText
{
    public static string? Problem(string field, string? value, int maxLength, bool isId = false)
    {
        if (value is null) return null;
        if (value.Length > maxLength) return $"{field} is {value.Length} characters long (at most {maxLength})";
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0') return $"{field} contains a NUL character at {i}";
            if (isId && char.IsControl(c)) return $"{field} contains control character U+{(int)c:X4} at {i}";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(c)) return $"{field} contains an unpaired surrogate U+{(int)c:X4} at {i}";
        }
        return null;
    }

    /// <summary>
    /// Makes captured command output fit the contract instead of refusing it: a tool that printed a NUL or more than the
    /// cap must still report its step. NULs and broken surrogates become U+FFFD; the tail, where errors are, is kept.
    /// </summary>
    public static string Clean(string text, int maxLength = WireLimits.MaxOutputLength)
    {
        if (Problem("output", text, int.MaxValue) is null && text.Length <= maxLength) return text;
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) i++;
            else if (chars[i] == '\0' || char.IsSurrogate(chars[i])) chars[i] = '\uFFFD';
        }
        const string cut = "[…]\n";
        var start = chars.Length > maxLength ? chars.Length - maxLength + cut.Length : 0;
        if (start > 0 && char.IsLowSurrogate(chars[start])) start++;
        return start > 0 ? cut + new string(chars, start, chars.Length - start) : new string(chars);
    }
}
