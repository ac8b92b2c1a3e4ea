namespace Ombaro.Api.Infrastructure.Caching;

public static class CachingExtensions
{
    public static IServiceCollection AddCaching(this IServiceCollection services)
    {
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CacheMetrics>();
        services.AddSingleton<CacheAside>();
        services.AddSingleton<L1Cache>();
        services.AddHostedService<L1Cache.Subscription>();
        return services;
    }
}
