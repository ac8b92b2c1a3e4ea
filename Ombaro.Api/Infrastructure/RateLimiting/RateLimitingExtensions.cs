using Microsoft.AspNetCore.Routing;

namespace Ombaro.Api.Infrastructure.RateLimiting;

public static class RateLimitingExtensions
{
    public static IServiceCollection AddRedisRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<ClientAddress>();
        services.AddSingleton<RateLimitMetrics>();
        services.AddSingleton<RateLimiter>();
        return services;
    }

    /// <summary>Every <c>/api</c> request passes the <c>ip</c> and <c>user</c> policies; after authentication, before authorization.</summary>
    public static WebApplication UseRedisRateLimiting(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments("/api"))
            {
                await next(http);
                return;
            }
            var limiter = http.RequestServices.GetRequiredService<RateLimiter>();
            var endpoint = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            if (await limiter.CheckAsync(http, limiter.ForRequest(http, endpoint)) is { } refused) await refused.ExecuteAsync(http);
            else await next(http);
        });
        return app;
    }
}
