using System.Security.Cryptography;
using System.Text;

namespace Remediation.Service.Api.Auth;

/// <summary>
/// The operators allowed to use the API, from configuration <c>Api:Tokens</c> (operator name → token). The name is
/// what the audit trail records for everything done with that token.
/// </summary>
public sealed class ApiTokens
{
    private readonly IReadOnlyList<(string Operator, byte[] Token)> _tokens;

    public ApiTokens(IConfiguration config)
    {
        _tokens = config.GetSection("Api:Tokens").GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .Select(c => (c.Key, Encoding.UTF8.GetBytes(c.Value!)))
            .ToList();
    }

    public bool Configured => _tokens.Count > 0;

    /// <summary>Compares against every token in constant time, so timing tells nothing about which one nearly matched.</summary>
    public string? OperatorFor(string token)
    {
        var presented = Encoding.UTF8.GetBytes(token);
        string? found = null;
        foreach (var (name, expected) in _tokens)
            if (CryptographicOperations.FixedTimeEquals(presented, expected)) found = name;
        return found;
    }
}
