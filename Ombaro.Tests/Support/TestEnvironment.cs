namespace Ombaro.Tests.Support;

/// <summary>The real Redis and PostgreSQL that <c>./test.sh</c> started, named by environment variables.</summary>
public static class TestEnvironment
{
    public static string RedisUrl => Required("REDIS_URL");
    public static string RedisCacheUrl => Environment.GetEnvironmentVariable("REDIS_CACHE_URL") ?? RedisUrl;
    public static string DatabaseUrl => Required("DATABASE_URL");
    public static string PostgresConnectionString => ConnectionSettings.ParseDatabaseUrl(DatabaseUrl);

    /// <summary>Master nodes behind each Redis role: 1 for a standalone server, 3 on <c>./test.sh --redis-cluster</c>.</summary>
    public static int RedisMasters => int.TryParse(Environment.GetEnvironmentVariable("OMBARO_REDIS_MASTERS"), out var n) ? n : 1;

    /// <summary>A connection string for a database of its own, created now; dropped by the returned action.</summary>
    public static async Task<(string ConnectionString, Func<Task> Drop)> CreateDatabaseAsync()
    {
        var name = "ombaro_t_" + Guid.NewGuid().ToString("N")[..12];
        await using var admin = new NpgsqlConnection(PostgresConnectionString);
        await admin.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin)) await create.ExecuteNonQueryAsync();
        var cs = new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = name, Pooling = false }.ConnectionString;
        return (cs, async () =>
        {
            await using var conn = new NpgsqlConnection(PostgresConnectionString);
            await conn.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", conn);
            await drop.ExecuteNonQueryAsync();
        });
    }

    /// <summary>
    /// A database of its own on the test server, as a <c>DATABASE_URL</c> for a host (which migrates it at start-up),
    /// dropped on dispose: far cheaper than a server of its own when only isolation is needed, not an outage.
    /// </summary>
    public static async Task<OwnDatabase> CreateOwnDatabaseAsync()
    {
        var (cs, drop) = await CreateDatabaseAsync();
        return new OwnDatabase(new UriBuilder(DatabaseUrl) { Path = "/" + new NpgsqlConnectionStringBuilder(cs).Database }.Uri.ToString(), drop);
    }

    public sealed class OwnDatabase(string url, Func<Task> drop) : IAsyncDisposable
    {
        public string Url => url;
        public ValueTask DisposeAsync() => new(drop());
    }

    static string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
        ? v
        : throw new InvalidOperationException($"{name} is not set: run the tests with ./test.sh, which starts Redis and PostgreSQL.");
}
