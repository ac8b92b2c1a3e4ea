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
    /// Every <c>/api</c> request passes the <c>ip</c> and <c>user</c> policies, in one Redis stage with its
    /// authentication (registered by <paramref name="around"/>): the address's checks are sent to Redis before
    /// authentication, the user's are made by the session script, and both are awaited and applied after authentication,
    /// before authorization. The checks started here touch nothing of the request: the limiter after authentication
    /// writes the headers, or answers the refusal.
    /// </summary>
    public static WebApplication UseRedisRateLimiting(this WebApplication app, Action<IApplicationBuilder> around)
    {
        app.Use((http, next) =>
        {
            if (RateLimiter.Guards(http)) http.RequestServices.GetRequiredService<RateLimiter>().Start(http);
            return next(http);
        });
        around(app);
        app.Use(async (http, next) =>
        {
            if (!RateLimiter.Guards(http))
            {
                await next(http);
                return;
            }
            var limiter = http.RequestServices.GetRequiredService<RateLimiter>();
            if (await limiter.CheckRequestAsync(http) is { } refused) await refused.ExecuteAsync(http);
            else await next(http);
        });
        return app;
    }
}
