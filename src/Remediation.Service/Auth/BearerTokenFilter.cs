namespace Remediation.Service.Auth;

/// <summary>Guards /api: a configured operator token in <c>Authorization: Bearer …</c>, or 401 saying what is wrong.</summary>
public sealed class BearerTokenFilter(ApiTokens tokens) : IEndpointFilter
{
    private const string OperatorKey = "remediation.operator";
    private const string RolesKey = "remediation.roles";

    public static string OperatorOf(HttpContext http) => (string)http.Items[OperatorKey]!;

    public static IReadOnlySet<string> RolesOf(HttpContext http) => (IReadOnlySet<string>)http.Items[RolesKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!tokens.Configured)
            return Unauthorized(http, "no API tokens are configured; set Api:Tokens:<operator>=<token>");
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Unauthorized(http, "missing bearer token: send 'Authorization: Bearer <token>'");
        if (tokens.OperatorFor(header["Bearer ".Length..].Trim()) is not { } name)
            return Unauthorized(http, "the bearer token is not one of the configured operator tokens");
        http.Items[OperatorKey] = name;
        http.Items[RolesKey] = tokens.RolesOf(name);
        return await next(context);
    }

    private static IResult Unauthorized(HttpContext http, string why)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(why, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
    }
}
