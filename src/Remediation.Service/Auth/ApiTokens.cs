using System.Security.Cryptography;
using System.Text;

namespace Remediation.Service.Auth;

/// <summary>
/// The operators allowed to use the API, from configuration <c>Api:Tokens</c> (operator name → token). The name is
/// what the audit trail records for everything done with that token.
/// </summary>
public sealed class ApiTokens
{
    private readonly IReadOnlyList<(string Operator, byte[] Token)> _tokens;
    private readonly Dictionary<string, IReadOnlySet<string>> _roles;

    public ApiTokens(IConfiguration config)
    {
        _tokens = config.GetSection("Api:Tokens").GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .Select(c => (c.Key, Encoding.UTF8.GetBytes(c.Value!)))
            .ToList();
        _roles = _tokens.ToDictionary(t => t.Operator, IReadOnlySet<string> (t) => RolesIn(config[$"Api:Roles:{t.Operator}"], t.Operator));
    }

    /// <summary>What the operator may do; a misspelt role stops start-up rather than silently granting less.</summary>
    public IReadOnlySet<string> RolesOf(string name) => _roles[name];

    private static HashSet<string> RolesIn(string? value, string name)
    {
        var roles = (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        if (roles.FirstOrDefault(r => !ApiRole.All.Contains(r)) is { } unknown)
            throw new InvalidOperationException($"Api:Roles:{name}: unknown role '{unknown}' (known: {string.Join(", ", ApiRole.All)})");
        roles.Add(ApiRole.Viewer);
        return roles;
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
