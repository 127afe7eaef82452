using Remediation.Service.Auth;

namespace Remediation.Service.Api;

/// <summary>Who the token belongs to and what it may do, so the page offers only the actions the service would allow.</summary>
public static class MeEndpoint
{
    public static void MapMe(this RouteGroupBuilder api) =>
        api.MapGet("/me", (HttpContext http) =>
            Results.Ok(new Me(BearerTokenFilter.OperatorOf(http), [.. BearerTokenFilter.RolesOf(http).Order(StringComparer.Ordinal)])));

    public sealed record Me(string Operator, IReadOnlyList<string> Roles);
}
