using System.Security.Cryptography;
using System.Text;

namespace Remediation.Service.Auth;

/// <summary>A webhook's own bearer secret (Alertmanager, the RMA ticket system): separate from operator tokens.</summary>
public static class SharedSecret
{
    public static bool Matches(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        // Hashes compared in constant time, so neither the token nor its length can be learned from response times.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    public static IResult Unauthorized(HttpRequest request, string reason)
    {
        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(reason, statusCode: 401);
    }
}
