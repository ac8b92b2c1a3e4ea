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

    /// <summary>
    /// Every <c>/api</c> request passes the <c>ip</c> and <c>user</c> policies; after authentication (which has checked the
    /// user's already, in the session's script), before authorization.
    /// </summary>
    public static WebApplication UseRedisRateLimiting(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!RateLimiter.Guards(http))
            {
                await next(http);
                return;
            }
            var limiter = http.RequestServices.GetRequiredService<RateLimiter>();
            if (await limiter.CheckAsync(http, limiter.ForRequest(http, RateLimiter.EndpointOf(http))) is { } refused) await refused.ExecuteAsync(http);
            else await next(http);
        });
        return app;
    }
}
