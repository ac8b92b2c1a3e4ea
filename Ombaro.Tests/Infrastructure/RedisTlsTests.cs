using Microsoft.Extensions.Configuration;

namespace Ombaro.Tests.Infrastructure;

/// <summary>
/// Redis as production runs it: <c>rediss://default:password@host:port/0</c>, the certificate checked against the CA
/// in <c>REDIS_TLS_CA</c>. A real TLS-only redis-server with <c>requirepass</c> (<see cref="TlsRedisServer"/>).
/// </summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    TlsRedisServer redis = null!;

    public async Task InitializeAsync() => redis = await TlsRedisServer.StartAsync();

    public async Task DisposeAsync() => await redis.DisposeAsync();

    [Fact]
    public async Task the_api_works_on_a_tls_redis_with_a_password_verified_against_the_configured_ca()
    {
        // Its own host: pointed at the TLS-only Redis with a password and a CA.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = redis.Url(), ["REDIS_CACHE_URL"] = redis.Url(), ["REDIS_TLS_CA"] = redis.CaPath,
        });
        await host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBeOk(); });
        var mobile = OtpLogin.NewMobile();
        await host.RequestOtpAsync(mobile);

        var connections = host.Services.GetRequiredService<RedisConnections>();
        Assert.True(connections.State.IsConnected);
        var server = connections.State.GetServer(connections.State.GetEndPoints().Single());
        Assert.Contains(server.Keys(pattern: "ombaro:otp:*"), _ => true);   // the code's record went over TLS
        Assert.Equal("127.0.0.1", connections.State.Configuration.Split(',')[0].Split(':')[0]);
        Assert.Contains("ssl=True", connections.State.Configuration);
    }

    [Fact]
    public async Task a_wrong_password_stops_start_up_with_one_line()
    {
        var (exit, stderr) = await StartApiAsync(redis.Url("not-the-password"), redis.CaPath);
        Assert.Equal(2, exit);
        Assert.Equal($"ombaro: REDIS_URL: Redis at rediss://127.0.0.1:{redis.Port}/0 refused the user name or password", stderr);
    }

    [Fact]
    public async Task a_certificate_from_another_ca_stops_start_up_with_one_line()
    {
        var (exit, stderr) = await StartApiAsync(redis.Url(), redis.OtherCaPath);
        Assert.Equal(2, exit);
        Assert.Equal($"ombaro: REDIS_URL: the TLS certificate of rediss://127.0.0.1:{redis.Port}/0 is not trusted " +
            "(not issued by the CA in REDIS_TLS_CA, or not for 127.0.0.1)", stderr);
    }

    [Fact]
    public async Task a_tls_ca_that_is_not_a_certificate_stops_start_up_with_one_line()
    {
        var (exit, stderr) = await StartApiAsync(redis.Url(), "/etc/hostname");
        Assert.Equal(2, exit);
        Assert.Equal("ombaro: REDIS_TLS_CA is not a readable PEM certificate: /etc/hostname", stderr);
    }

    [Fact]
    public void the_tls_ca_applies_to_the_rediss_endpoints_and_needs_one()
    {
        static ConnectionSettings From(string state, string? cache, string ca) => ConnectionSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["REDIS_URL"] = state, ["REDIS_CACHE_URL"] = cache, ["REDIS_TLS_CA"] = ca, ["DATABASE_URL"] = "postgres://u:p@h/d",
            }).Build());

        var mixed = From(redis.Url(), "redis://127.0.0.1:6380/0", redis.CaPath);
        Assert.Equal(redis.CaPath, mixed.RedisState.TlsCaPath);
        Assert.Null(mixed.RedisCache.TlsCaPath);
        var error = Assert.Throws<StartupConfigurationException>(() => From("redis://127.0.0.1:6379/0", null, redis.CaPath));
        Assert.Equal("REDIS_TLS_CA is set, but neither REDIS_URL nor REDIS_CACHE_URL uses TLS (rediss://)", error.Message);
    }

    /// <summary>The API as its own process (its start-up line goes to standard error), on the shared PostgreSQL.</summary>
    static async Task<(int ExitCode, string Stderr)> StartApiAsync(string redisUrl, string ca)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Testing", ["REDIS_URL"] = redisUrl, ["REDIS_CACHE_URL"] = "", ["REDIS_TLS_CA"] = ca,
                ["DATABASE_URL"] = TestEnvironment.DatabaseUrl, ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        try { await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60)); }
        catch (TimeoutException) { process.Kill(); throw; }
        await stdout;
        return (process.ExitCode, stderr.Trim());
    }
}
