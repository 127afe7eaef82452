using System.Text;
using Npgsql;

namespace Remediation.Service.Pipeline;

/// <summary>
/// Tells a commit the database refused for what a row carries (class 22 data exceptions such as 22P05 "unsupported
/// Unicode escape sequence", class 54 limits such as an index row too large, text Npgsql cannot encode) from one
/// that failed for the server's sake (a restart, a lost connection, a deadlock), which is worth retrying as it is.
/// </summary>
public static class StorageRefusal
{
    public static string? Of(Exception e) => e switch
    {
        PostgresException { SqlState: var state } p when state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("54", StringComparison.Ordinal)
            => $"{p.SqlState}: {p.MessageText}",
        EncoderFallbackException or DecoderFallbackException => e.Message,
        _ when e.InnerException is { } inner => Of(inner),
        _ => null,
    };
}
