using Microsoft.Extensions.Configuration;

namespace Ombaro.Tests.Infrastructure;

public sealed class ConnectionSettingsTests
{
    static ConnectionSettings Read(params (string Key, string Value)[] settings) => ConnectionSettings.From(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    static ConnectionSettings ReadRedis(params (string, string)[] redis) =>
        Read([.. redis, ("DATABASE_URL", "postgres://u:p@localhost:5432/db")]);

    [Theory]
    [InlineData("redis://localhost:6379/0", "localhost", 6379, null, null, 0, false)]
    [InlineData("redis://localhost:6379", "localhost", 6379, null, null, 0, false)]
    [InlineData("redis://default:password@redis-12345.redis.cloud:12345", "redis-12345.redis.cloud", 12345, "default", "password", 0, false)]
    [InlineData("redis://default:password@staging-redis:6379/0", "staging-redis", 6379, "default", "password", 0, false)]
    [InlineData("redis://your-cluster.cache.amazonaws.com:6379/0", "your-cluster.cache.amazonaws.com", 6379, null, null, 0, false)]
    [InlineData("rediss://default:password@prod-redis.cloud:6380/0", "prod-redis.cloud", 6380, "default", "password", 0, true)]
    [InlineData("redis://:s3cr%40t@10.0.0.5:7000/3", "10.0.0.5", 7000, null, "s3cr@t", 3, false)]
    public void every_redis_url_form_of_the_seed_parses(string url, string host, int port, string? user, string? password, int db, bool tls)
    {
        var redis = ReadRedis(("REDIS_URL", url)).RedisState;
        Assert.Equal(new RedisEndpoint(host, port, user, password, db, tls), redis);
        var options = redis.ToOptions("t");
        Assert.Equal(tls, options.Ssl);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(db, options.DefaultDatabase);
    }

    [Fact]
    public void a_cluster_is_named_by_several_seed_nodes_and_every_seed_is_an_endpoint()
    {
        var redis = ReadRedis(("REDIS_URL", "redis://default:pw@h1:7000,h2:7001,h3/0")).RedisState;
        Assert.Equal(new RedisEndpoint("h1", 7000, "default", "pw", 0, false, "h2:7001,h3:6379"), redis);
        var endpoints = redis.ToOptions("t").EndPoints.Select(e => e.ToString()!).ToArray();
        Assert.Equal(new[] { "Unspecified/h1:7000", "Unspecified/h2:7001", "Unspecified/h3:6379" }, endpoints);
        Assert.Equal("redis://h1:7000,h2:7001,h3:6379/0", redis.ToString());   // no password in logs
        Assert.Equal(redis, ReadRedis(("REDIS_URL", "redis://default:pw@h1:7000,h2:7001,h3/0")).RedisState);
    }

    [Theory]
    [InlineData("redis://h1:7000,/0")]
    [InlineData("redis://h1:7000,h2:x/0")]
    public void a_bad_seed_list_is_one_line_naming_the_setting(string url) =>
        Assert.StartsWith("REDIS_URL is malformed", Assert.Throws<StartupConfigurationException>(() => ReadRedis(("REDIS_URL", url))).Message);

    [Fact]
    public void redis_host_port_password_db_are_the_alternative()
    {
        var redis = ReadRedis(("REDIS_HOST", "cache.internal"), ("REDIS_PORT", "6390"), ("REDIS_PASSWORD", "pw"), ("REDIS_DB", "2")).RedisState;
        Assert.Equal(new RedisEndpoint("cache.internal", 6390, null, "pw", 2, false), redis);
        Assert.Equal(new RedisEndpoint("localhost", 6379, null, null, 0, false),
            ReadRedis(("REDIS_HOST", "localhost"), ("REDIS_PASSWORD", "")).RedisState);
    }

    [Fact]
    public void the_cache_role_defaults_to_the_state_server_and_can_be_its_own()
    {
        var shared = ReadRedis(("REDIS_URL", "redis://a:1/0"));
        Assert.Equal(shared.RedisState, shared.RedisCache);
        var split = ReadRedis(("REDIS_URL", "redis://a:1/0"), ("REDIS_CACHE_URL", "redis://b:2/1"));
        Assert.Equal(new RedisEndpoint("b", 2, null, null, 1, false), split.RedisCache);
    }

    [Theory]
    [InlineData("REDIS_URL", "localhost:6379", "REDIS_URL is malformed")]
    [InlineData("REDIS_URL", "http://localhost:6379/0", "REDIS_URL is malformed")]
    [InlineData("REDIS_URL", "redis://localhost:6379/99", "REDIS_URL database is malformed")]
    [InlineData("REDIS_URL", "redis://localhost:6379/x", "REDIS_URL database is malformed")]
    [InlineData("REDIS_PORT", "70000", "REDIS_PORT is malformed")]
    [InlineData("REDIS_CACHE_URL", "nope", "REDIS_CACHE_URL is malformed")]
    public void a_bad_redis_setting_is_one_line_naming_it(string key, string value, string expected)
    {
        (string, string)[] settings = key == "REDIS_PORT" ? [("REDIS_HOST", "h"), (key, value)] :
            key == "REDIS_CACHE_URL" ? [("REDIS_URL", "redis://h:1/0"), (key, value)] : [(key, value)];
        var e = Assert.Throws<StartupConfigurationException>(() => ReadRedis(settings));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void a_missing_redis_setting_is_named()
    {
        var e = Assert.Throws<StartupConfigurationException>(() => Read(("DATABASE_URL", "postgres://u:p@h:1/d")));
        Assert.StartsWith("REDIS_URL is not set", e.Message);
    }

    [Fact]
    public void the_password_never_appears_in_the_endpoint_text()
    {
        var redis = ReadRedis(("REDIS_URL", "redis://default:hunter2@h:1/0")).RedisState;
        Assert.DoesNotContain("hunter2", redis.ToString());
    }

    [Fact]
    public void database_url_becomes_an_npgsql_connection_string()
    {
        var cs = new Npgsql.NpgsqlConnectionStringBuilder(
            Read(("REDIS_URL", "redis://h:1"), ("DATABASE_URL", "postgres://ombaro:p%40ss@db.local:6543/ombaro?sslmode=require")).Postgres);
        Assert.Equal(("db.local", 6543, "ombaro", "p@ss", "ombaro", Npgsql.SslMode.Require),
            (cs.Host, cs.Port, cs.Username, cs.Password, cs.Database, cs.SslMode));
    }

    [Fact]
    public void connection_strings_postgres_is_the_alternative()
    {
        var cs = Read(("REDIS_URL", "redis://h:1"), ("ConnectionStrings:Postgres", "Host=x;Username=u;Password=p;Database=d")).Postgres;
        Assert.Contains("Host=x", cs);
    }

    [Theory]
    [InlineData("DATABASE_URL", "mysql://u:p@h/d", "DATABASE_URL is malformed")]
    [InlineData("DATABASE_URL", "postgres://u:p@h:5432", "DATABASE_URL is malformed")]
    [InlineData("DATABASE_URL", "postgres://u:p@h/d?bogus=1", "DATABASE_URL has an unknown or bad option 'bogus'")]
    [InlineData("ConnectionStrings:Postgres", "Host=x;Nonsense=1", "ConnectionStrings:Postgres is malformed")]
    [InlineData(null, null, "DATABASE_URL is not set")]
    public void a_bad_or_missing_database_setting_is_one_line_naming_it(string? key, string? value, string expected)
    {
        (string, string)[] settings = key is null ? [("REDIS_URL", "redis://h:1")] : [("REDIS_URL", "redis://h:1"), (key, value!)];
        var e = Assert.Throws<StartupConfigurationException>(() => Read(settings));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
