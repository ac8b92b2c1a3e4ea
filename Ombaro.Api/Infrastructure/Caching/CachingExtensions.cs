namespace Ombaro.Api.Infrastructure.Caching;

public static class CachingExtensions
{
    public static IServiceCollection AddCaching(this IServiceCollection services)
    {
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CacheMetrics>();
        services.AddSingleton<CacheAside>();
        return services;
    }
}
