namespace Ombaro.Api.Infrastructure.Configuration;

/// <summary>
/// One Redis server as the seed writes it, <c>redis[s]://[user:password@]host:port[/db]</c>, or a Redis
/// Cluster named by several seed nodes, <c>redis://[user:password@]h1:7000,h2:7001,h3:7002[/0]</c>
/// (<see cref="MoreSeeds"/> holds the nodes after the first, comma-separated). Cluster mode is detected
/// by the client from whichever seed answers; it is never configured.
/// </summary>
public sealed record RedisEndpoint(string Host, int Port, string? User, string? Password, int Database, bool Tls,
    string? MoreSeeds = null)
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
        var expected = $"{setting} is malformed: expected redis://[user:password@]host:port/db or rediss://... for TLS"
            + " (several seed nodes of a cluster: redis://host1:port1,host2:port2/0)";
        var (single, more) = SplitSeeds(url.Trim());
        var tlsDefault = single.StartsWith("rediss:", StringComparison.OrdinalIgnoreCase);
        string? seeds = null;
        if (more.Length > 0)
        {
            var list = new List<string>();
            foreach (var seed in more)
            {
                if (!Uri.TryCreate("redis://" + seed, UriKind.Absolute, out var node) || string.IsNullOrEmpty(node.Host)
                    || node.AbsolutePath.Trim('/').Length > 0 || node.UserInfo.Length > 0)
                    throw new StartupConfigurationException(expected);
                list.Add($"{node.Host}:{(node.Port > 0 ? node.Port : tlsDefault ? 6380 : 6379)}");
            }
            seeds = string.Join(',', list);
        }
        if (!Uri.TryCreate(single, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss")
            || string.IsNullOrEmpty(uri.Host))
            throw new StartupConfigurationException(expected);
        var path = uri.AbsolutePath.Trim('/');
        var db = path.Length == 0 ? 0 : Number(path, 0, setting + " database", 0, 15);
        var (user, password) = ConnectionSettings.UserInfo(uri);
        var tls = uri.Scheme == "rediss";
        var port = uri.Port > 0 ? uri.Port : tls ? 6380 : 6379;
        return new RedisEndpoint(uri.Host, port, user, password, db, tls, seeds);
    }

    /// <summary><c>scheme://[userinfo@]h1:p1,h2:p2[/path]</c> to the URL of the first node and the other nodes.</summary>
    static (string First, string[] More) SplitSeeds(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return (url, []);
        var start = schemeEnd + 3;
        var slash = url.IndexOf('/', start);
        var authorityEnd = slash < 0 ? url.Length : slash;
        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
        var hostsStart = at < 0 ? start : at + 1;
        var hosts = url[hostsStart..authorityEnd].Split(',');
        if (hosts.Length == 1) return (url, []);
        return (url[..hostsStart] + hosts[0] + url[authorityEnd..], hosts[1..]);
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
        foreach (var seed in MoreSeeds?.Split(',') ?? []) options.EndPoints.Add(seed);
        if (Tls && TlsCaPath is not null) options.TrustIssuer(TlsCaPath);   // chain to this CA, and the name must match Host
        return options;
    }

    /// <summary>For logs: never the password.</summary>
    public override string ToString() =>
        $"{(Tls ? "rediss" : "redis")}://{Host}:{Port}{(MoreSeeds is null ? "" : "," + MoreSeeds)}/{Database}";
}
