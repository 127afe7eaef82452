using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Remediation.Service.Approvals.Slack;

/// <summary>
/// Slack's request signing (api.slack.com/authentication/verifying-requests-from-slack): <c>v0=</c> and the hex
/// HMAC-SHA256, keyed with the signing secret, of <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c>.
/// Anything missing or malformed fails, so a misconfigured service refuses every click rather than trusting one.
/// </summary>
public sealed class SlackSignature(TimeProvider clock)
{
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public const string SignatureHeader = "X-Slack-Signature";

    /// <summary>Slack's recommended window: an older (or future) request may be a replay.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private const string Version = "v0";

    /// <returns>null when the request is authentic, otherwise why it is not.</returns>
    public string? Problem(string? signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(signingSecret)) return "Slack signing secret is not configured";
        if (string.IsNullOrEmpty(timestamp)) return $"missing {TimestampHeader} header";
        if (string.IsNullOrEmpty(signature)) return $"missing {SignatureHeader} header";
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return $"malformed {TimestampHeader} header";
        var skew = Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds);
        if (skew > Tolerance.TotalSeconds) return $"{TimestampHeader} is more than {Tolerance.TotalMinutes:0} minutes from now";
        if (!TryDecode(signature, out var claimed)) return $"malformed {SignatureHeader} header";
        return CryptographicOperations.FixedTimeEquals(claimed, Compute(signingSecret, timestamp, body))
            ? null
            : "signature does not match";
    }

    /// <summary>The raw HMAC for a request; <see cref="Sign"/> gives the header value.</summary>
    public static byte[] Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestamp}:");
        var basestring = new byte[prefix.Length + body.Length];
        prefix.CopyTo(basestring, 0);
        body.CopyTo(basestring.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), basestring);
    }

    public static string Sign(string signingSecret, string timestamp, ReadOnlySpan<byte> body) =>
        $"{Version}=" + Convert.ToHexStringLower(Compute(signingSecret, timestamp, body));

    private static bool TryDecode(string signature, out byte[] hmac)
    {
        hmac = new byte[HMACSHA256.HashSizeInBytes];
        const string prefix = Version + "=";
        return signature.StartsWith(prefix, StringComparison.Ordinal)
            && signature.Length == prefix.Length + 2 * hmac.Length
            && Convert.FromHexString(signature.AsSpan(prefix.Length), hmac, out _, out _) == OperationStatus.Done;
    }
}
