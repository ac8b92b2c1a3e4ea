using Ombaro.Api.Infrastructure.Configuration;
using StackExchange.Redis;

namespace Ombaro.Api.Infrastructure.Redis;

/// <summary>
/// One multiplexer per Redis role. <see cref="State"/> holds what must not be evicted (OTP, sessions,
/// locks, rate limits, live locations); <see cref="Cache"/> holds what may be. When both settings name
/// the same server the multiplexer is shared.
/// </summary>
public sealed class RedisConnections : IAsyncDisposable
{
    public RedisConnections(ConnectionSettings settings, ILogger<RedisConnections> logger)
    {
        State = Connect(settings.RedisState, "ombaro-state", logger);
        Cache = settings.RedisCache == settings.RedisState ? State : Connect(settings.RedisCache, "ombaro-cache", logger);
    }

    public IConnectionMultiplexer State { get; }
    public IConnectionMultiplexer Cache { get; }

    public IDatabase StateDb => State.GetDatabase();
    public IDatabase CacheDb => Cache.GetDatabase();

    static ConnectionMultiplexer Connect(RedisEndpoint endpoint, string name, ILogger logger)
    {
        var mux = ConnectionMultiplexer.Connect(endpoint.ToOptions(name));
        if (!mux.IsConnected) logger.LogWarning("Redis {Role} at {Endpoint} is not reachable yet; retrying in the background", name, endpoint);
        mux.ConnectionFailed += (_, e) => logger.LogWarning("Redis {Role} connection lost: {FailureType}", name, e.FailureType);
        mux.ConnectionRestored += (_, _) => logger.LogInformation("Redis {Role} connection restored", name);
        return mux;
    }

    public async ValueTask DisposeAsync()
    {
        await State.DisposeAsync();
        if (!ReferenceEquals(State, Cache)) await Cache.DisposeAsync();
    }
}
