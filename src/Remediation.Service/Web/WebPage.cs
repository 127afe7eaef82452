namespace Remediation.Service.Web;

/// <summary>
/// The operators' page at <c>/ui/</c>. The shell is static and public; it holds no data and reads everything from
/// <c>/api</c> with the operator's bearer token, so the page needs no auth of its own.
/// </summary>
public static class WebPage
{
    // Only our own files may run or style the page: node ids and fault messages come from the network.
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
        "form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static void MapWebPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/ui/")).ExcludeFromDescription();
        app.MapGet("/ui/{file?}", Serve).ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext http, string? file)
    {
        // Routing treats /ui and /ui/ alike, but the page's relative URLs only resolve under /ui/.
        if (file is null && http.Request.Path.Value?.EndsWith('/') != true)
            return Results.Redirect("/ui/");
        if (!WebAssets.TryGet(file ?? "index.html", out var bytes, out var contentType))
            return Results.NotFound();
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        return Results.Bytes(bytes, contentType);
    }
}
