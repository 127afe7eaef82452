namespace Remediation.Service.Auth;

/// <summary>Refuses a request whose token lacks the role, with 403 naming the role that was missing.</summary>
public sealed class RoleFilter(string role) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (BearerTokenFilter.RolesOf(http).Contains(role)) return await next(context);
        return Results.Problem($"operator '{BearerTokenFilter.OperatorOf(http)}' lacks the '{role}' role (Api:Roles:{BearerTokenFilter.OperatorOf(http)})",
            statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
    }
}

public static class RoleFilterExtensions
{
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, string role) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new RoleFilter(role));
}
