using System.Security.Cryptography.X509Certificates;

namespace Ombaro.Api.Infrastructure.Configuration;

/// <summary>A setting that is missing or malformed; start-up stops with this one line.</summary>
public sealed class StartupConfigurationException(string message) : Exception(message);

/// <summary>Where Redis (both roles) and PostgreSQL are, read once from configuration.</summary>
public sealed record ConnectionSettings(RedisEndpoint RedisState, RedisEndpoint RedisCache, string Postgres)
{
    public static ConnectionSettings From(IConfiguration config)
    {
        var state = RedisEndpoint.FromConfiguration(config);
        var cacheUrl = config["REDIS_CACHE_URL"];
        var cache = string.IsNullOrWhiteSpace(cacheUrl) ? state : RedisEndpoint.Parse(cacheUrl, "REDIS_CACHE_URL");
        if (RedisTlsCa(config, state, cache) is { } ca)
            (state, cache) = (state.Tls ? state with { TlsCaPath = ca } : state, cache.Tls ? cache with { TlsCaPath = ca } : cache);
        return new ConnectionSettings(state, cache, PostgresConnectionString(config));
    }

    /// <summary><c>REDIS_TLS_CA</c>: a PEM file with the CA that issued the Redis servers' certificates (both roles).</summary>
    static string? RedisTlsCa(IConfiguration config, RedisEndpoint state, RedisEndpoint cache)
    {
        var path = config["REDIS_TLS_CA"];
        if (string.IsNullOrWhiteSpace(path)) return null;
        if (!state.Tls && !cache.Tls)
            throw new StartupConfigurationException("REDIS_TLS_CA is set, but neither REDIS_URL nor REDIS_CACHE_URL uses TLS (rediss://)");
        try { using var _ = X509Certificate2.CreateFromPem(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        { throw new StartupConfigurationException($"REDIS_TLS_CA is not a readable PEM certificate: {path}"); }
        return Path.GetFullPath(path);
    }

    static string PostgresConnectionString(IConfiguration config)
    {
        var url = config["DATABASE_URL"];
        if (!string.IsNullOrWhiteSpace(url)) return ParseDatabaseUrl(url);
        var cs = config.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(cs))
            throw new StartupConfigurationException("DATABASE_URL is not set (nor ConnectionStrings:Postgres): expected postgres://user:password@host:port/database");
        try { return new NpgsqlConnectionStringBuilder(cs).ConnectionString; }
        catch (ArgumentException) { throw new StartupConfigurationException("ConnectionStrings:Postgres is malformed: expected Host=...;Username=...;Password=...;Database=..."); }
    }

    /// <summary><c>postgres[ql]://user:password@host[:port]/database[?sslmode=require]</c> to an Npgsql connection string.</summary>
    public static string ParseDatabaseUrl(string url)
    {
        const string expected = "DATABASE_URL is malformed: expected postgres://user:password@host:port/database";
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql")
            || string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath.Trim('/').Length == 0)
            throw new StartupConfigurationException(expected);
        var (user, password) = UserInfo(uri);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')),
            Username = user,
            Password = password,
        };
        foreach (var (key, value) in Query(uri))
        {
            try { builder[key] = value; }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            { throw new StartupConfigurationException($"DATABASE_URL has an unknown or bad option '{key}'"); }
        }
        return builder.ConnectionString;
    }

    internal static (string? User, string? Password) UserInfo(Uri uri)
    {
        if (string.IsNullOrEmpty(uri.UserInfo)) return (null, null);
        var parts = uri.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(parts[0]);
        return (user.Length == 0 ? null : user, parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : null);
    }

    static IEnumerable<(string, string)> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Uri.UnescapeDataString(p[0]), p.Length == 2 ? Uri.UnescapeDataString(p[1]) : ""));
}
