using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;
using StackExchange.Redis;

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

/// <summary>One Redis server as the seed writes it: <c>redis[s]://[user:password@]host:port[/db]</c>.</summary>
public sealed record RedisEndpoint(string Host, int Port, string? User, string? Password, int Database, bool Tls)
{
    /// <summary>With TLS: the CA (PEM file) the server's certificate must chain to; null trusts the system's CAs.</summary>
    public string? TlsCaPath { get; init; }

    public static RedisEndpoint FromConfiguration(IConfiguration config)
    {
        var url = config["REDIS_URL"];
        if (!string.IsNullOrWhiteSpace(url)) return Parse(url, "REDIS_URL");
        var host = config["REDIS_HOST"];
        if (string.IsNullOrWhiteSpace(host))
            throw new StartupConfigurationException("REDIS_URL is not set (nor REDIS_HOST): expected redis://[user:password@]host:port/db");
        var password = config["REDIS_PASSWORD"];
        return new RedisEndpoint(host.Trim(), Number(config["REDIS_PORT"], 6379, "REDIS_PORT", 1, 65535), null,
            string.IsNullOrEmpty(password) ? null : password, Number(config["REDIS_DB"], 0, "REDIS_DB", 0, 15), Tls: false);
    }

    public static RedisEndpoint Parse(string url, string setting)
    {
        var expected = $"{setting} is malformed: expected redis://[user:password@]host:port/db or rediss://... for TLS";
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss")
            || string.IsNullOrEmpty(uri.Host))
            throw new StartupConfigurationException(expected);
        var path = uri.AbsolutePath.Trim('/');
        var db = path.Length == 0 ? 0 : Number(path, 0, setting + " database", 0, 15);
        var (user, password) = ConnectionSettings.UserInfo(uri);
        var tls = uri.Scheme == "rediss";
        var port = uri.Port > 0 ? uri.Port : tls ? 6380 : 6379;
        return new RedisEndpoint(uri.Host, port, user, password, db, tls);
    }

    static int Number(string? text, int fallback, string setting, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        throw new StartupConfigurationException($"{setting} is malformed: expected a whole number from {min} to {max}");
    }

    public ConfigurationOptions ToOptions(string clientName)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { Host, Port } },
            User = User,
            Password = Password,
            DefaultDatabase = Database,
            Ssl = Tls,
            SslHost = Tls ? Host : null,
            ClientName = clientName,
            AbortOnConnectFail = false,            // start and recover while Redis is away
            BacklogPolicy = BacklogPolicy.FailFast, // fail at once while disconnected: callers degrade
            ConnectTimeout = 2000,
            SyncTimeout = 1000,
            AsyncTimeout = 1000,
            ReconnectRetryPolicy = new LinearRetry(500),
            AllowAdmin = true,                     // INFO / SLOWLOG for the ops page
        };
        if (Tls && TlsCaPath is not null) options.TrustIssuer(TlsCaPath);   // chain to this CA, and the name must match Host
        return options;
    }

    /// <summary>For logs: never the password.</summary>
    public override string ToString() => $"{(Tls ? "rediss" : "redis")}://{Host}:{Port}/{Database}";
}
