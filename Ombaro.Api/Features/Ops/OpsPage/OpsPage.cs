namespace Ombaro.Api.Features.Ops;

/// <summary>
/// <c>/ops</c>: the ops page, plain HTML/CSS/JS embedded in the API (no build step). The page itself holds
/// no data: it asks for an admin bearer token (kept in sessionStorage) and polls
/// <c>GET /api/v1/admin/ops/redis</c>, which is admin-only.
/// </summary>
public sealed class OpsPage : ICarterModule
{
    static readonly IReadOnlyDictionary<string, (byte[] Body, string ContentType)> Files = Load();

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ops").WithTags("Ops").AllowAnonymous().ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) => { Harden(context.HttpContext.Response.Headers); return await next(context); });
        group.MapGet("/", () => Serve("ops.html")).WithName("OpsPage").WithSummary("The ops page (asks for an admin token).");
        group.MapGet("/{file}", (string file) => Serve(file)).WithName("OpsPageAsset").WithSummary("The ops page's script and style sheet.");
    }

    /// <summary>Only this origin's own scripts and styles, no framing, no caching, no referrer.</summary>
    static void Harden(IHeaderDictionary h)
    {
        h.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
                                  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        h.XContentTypeOptions = "nosniff";
        h.CacheControl = "no-store";
        h["Referrer-Policy"] = "no-referrer";
    }

    static Results<FileContentHttpResult, NotFound> Serve(string file) =>
        Files.TryGetValue(file, out var f) ? TypedResults.File(f.Body, f.ContentType) : TypedResults.NotFound();

    static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("ops.", StringComparison.Ordinal))
            .ToDictionary(n => n["ops.".Length..], n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return (copy.ToArray(), Path.GetExtension(n) switch
                {
                    ".html" => "text/html; charset=utf-8",
                    ".js" => "text/javascript; charset=utf-8",
                    ".css" => "text/css; charset=utf-8",
                    _ => "application/octet-stream",
                });
            }, StringComparer.Ordinal);
    }
}
