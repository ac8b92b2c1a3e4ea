using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Ombaro.Api.Infrastructure.Configuration;

namespace Ombaro.Api.Infrastructure.Redis;

public static class RedisExtensions
{
    /// <summary>Both Redis roles as singletons, and a typed store for each.</summary>
    public static IServiceCollection AddRedis(this IServiceCollection services)
    {
        services.AddSingleton<RedisConnections>();
        services.AddKeyedSingleton(RedisRole.State, (sp, _) => Store(sp, sp.GetRequiredService<RedisConnections>().StateDb));
        services.AddKeyedSingleton(RedisRole.Cache, (sp, _) => Store(sp, sp.GetRequiredService<RedisConnections>().CacheDb));
        return services;
    }

    static RedisStore Store(IServiceProvider sp, StackExchange.Redis.IDatabase db) =>
        new(db, sp.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
}

public static class RedisRole
{
    public const string State = "state";
    public const string Cache = "cache";
}
