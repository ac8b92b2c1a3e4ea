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
        State = Connect(settings.RedisState, StateName, logger);
        Cache = settings.RedisCache == settings.RedisState ? State : Connect(settings.RedisCache, "ombaro-cache", logger);
    }

    const string StateName = "ombaro-state";

    public IConnectionMultiplexer State { get; }
    public IConnectionMultiplexer Cache { get; }

    public IDatabase StateDb => State.GetDatabase();
    public IDatabase CacheDb => Cache.GetDatabase();

    static ConnectionMultiplexer Connect(RedisEndpoint endpoint, string name, ILogger logger)
    {
        var mux = ConnectionMultiplexer.Connect(endpoint.ToOptions(name));
        if (!mux.IsConnected)
        {
            RefuseWrongCredentials(endpoint, name, mux);
            logger.LogWarning("Redis {Role} at {Endpoint} is not reachable yet; retrying in the background", name, endpoint);
        }
        mux.ConnectionFailed += (_, e) => logger.LogWarning("Redis {Role} connection lost: {FailureType}", name, e.FailureType);
        mux.ConnectionRestored += (_, _) => logger.LogInformation("Redis {Role} connection restored", name);
        return mux;
    }

    /// <summary>
    /// A server that is away may come back, so start-up goes on without it; one that refuses the password or
    /// presents a certificate the configured CA did not issue never will: start-up stops with one line.
    /// </summary>
    static void RefuseWrongCredentials(RedisEndpoint endpoint, string name, ConnectionMultiplexer mux)
    {
        var options = endpoint.ToOptions(name + "-check");
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        try
        {
            using var probe = ConnectionMultiplexer.Connect(options);
        }
        catch (RedisConnectionException e) when (e.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            mux.Dispose();
            var setting = name == StateName ? "REDIS_URL" : "REDIS_CACHE_URL";
            var tls = Causes(e).Any(c => c is System.Security.Authentication.AuthenticationException);
            throw new StartupConfigurationException(tls
                ? $"{setting}: the TLS certificate of {endpoint} is not trusted (not issued by {(endpoint.TlsCaPath is null ? "a CA this machine trusts; set REDIS_TLS_CA" : "the CA in REDIS_TLS_CA")}, or not for {endpoint.Host})"
                : $"{setting}: Redis at {endpoint} refused the user name or password");
        }
        catch (RedisConnectionException) { }   // not reachable: retried in the background
    }

    static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? c = e; c is not null; c = c.InnerException) yield return c;
    }

    public async ValueTask DisposeAsync()
    {
        await State.DisposeAsync();
        if (!ReferenceEquals(State, Cache)) await Cache.DisposeAsync();
    }
}
