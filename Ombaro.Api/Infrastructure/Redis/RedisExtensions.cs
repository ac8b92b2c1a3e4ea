namespace Ombaro.Api.Infrastructure.Redis;

public static class RedisExtensions
{
    /// <summary>Both Redis roles as singletons, and the typed store of the state role (attendance day state).</summary>
    public static IServiceCollection AddRedis(this IServiceCollection services)
    {
        services.AddSingleton<RedisConnections>();
        services.AddKeyedSingleton(RedisRole.State, (sp, _) => new RedisStore(sp.GetRequiredService<RedisConnections>().StateDb));
        return services;
    }
}

public static class RedisRole
{
    public const string State = "state";
    public const string Cache = "cache";
}
