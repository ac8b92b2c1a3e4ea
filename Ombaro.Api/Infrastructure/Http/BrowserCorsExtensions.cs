namespace Ombaro.Api.Infrastructure.Http;

public static class BrowserCorsExtensions
{
    /// <summary>Response headers a browser script may read: the rate-limit state, when to retry, where a created resource is.</summary>
    public static readonly string[] ExposedHeaders = ["RateLimit", "RateLimit-Policy", "Retry-After", "Location"];

    /// <summary>
    /// CORS for browser clients: the configured origins only, no credentials (the API takes bearer tokens, not
    /// cookies), the headers clients send (<c>Authorization</c>, <c>Content-Type</c>, <c>Idempotency-Key</c>).
    /// </summary>
    public static IServiceCollection AddBrowserCors(this IServiceCollection services)
    {
        services.AddOptions<BrowserCorsOptions>().BindConfiguration(BrowserCorsOptions.Section)
            .Validate(o => o.AllowedOrigins.All(BrowserCorsOptions.IsOrigin),
                "Cors:AllowedOrigins holds an entry that is not an origin such as https://app.example.com (scheme, host, optional port; no path, no trailing slash)")
            .ValidateOnStart();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<BrowserCorsOptions>>((cors, browser) => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. browser.Value.AllowedOrigins])
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "Idempotency-Key")
                .WithExposedHeaders(ExposedHeaders)
                .DisallowCredentials()
                .SetPreflightMaxAge(browser.Value.PreflightMaxAge)));
        return services;
    }

    /// <summary>First in the pipeline: preflights are answered before rate limits and authentication, and error answers carry the headers too.</summary>
    public static WebApplication UseBrowserCors(this WebApplication app)
    {
        app.UseCors();
        return app;
    }
}
