namespace Ombaro.Tests.Infrastructure;

/// <summary>The audit log records the proxy-aware client address; scripts use Redis' clock; /metrics takes a scrape token.</summary>
public sealed class SmallerHardeningTests
{
    const string Token = "scrape-token-0123456789abcdef0123456789";

    [Fact]
    public async Task the_audit_log_records_the_client_behind_a_trusted_proxy_not_the_proxy()
    {
        // Its own host: a trusted proxy range configured.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["RateLimiting:TrustedProxies:0"] = "10.0.0.0/8" });
        var owner = await host.SignInAsync(Roles.Vendor);

        var created = await host.Scenario(s =>
        {
            s.Post.Json(Catalog.Listing(20, 20)).ToUrl("/api/v1/vendors");
            s.As(owner);
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse("10.9.9.9"));
            s.WithRequestHeader("X-Forwarded-For", "198.51.100.77");
            s.StatusCodeShouldBe(201);
        });
        var id = (await created.ReadAsJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();

        Assert.Equal("198.51.100.77", await host.ScalarAsync<string>(
            "SELECT ip_address FROM audit_log WHERE entity_id = @id AND action = 'vendor.created'", new { id = id.ToString() }));
    }

    [Fact]
    public async Task a_location_fix_is_received_and_seen_by_redis_time_not_the_app_clock()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddDays(1));   // an instance whose clock is a day ahead
        // Its own host: its clock is a day ahead of Redis.
        await using var host = await ApiFixture.StartHostAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;
        var therapist = await host.SignInAsync(Roles.Therapist);

        await host.Scenario(s =>
        {
            s.Put.Json(new { latitude = 12.6, longitude = 77.6, accuracy = 5, timestamp = TimeProvider.System.GetUtcNow() }).ToUrl("/api/v1/therapists/me/location");
            s.As(therapist);
            s.StatusCodeShouldBeOk();
        });

        var server = await ServerTime(redis);
        var received = DateTimeOffset.FromUnixTimeMilliseconds((long)await redis.HashGetAsync(RedisKeys.TherapistLocation(therapist.Id), "received"));
        var seen = DateTimeOffset.FromUnixTimeMilliseconds((long)(await redis.SortedSetScoreAsync(RedisKeys.GeoTherapistsSeen, therapist.Id.ToString()))!);
        Assert.InRange(server - received, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.Equal(received, seen);
        await redis.SortedSetRemoveAsync(RedisKeys.GeoTherapistsSeen, therapist.Id.ToString());
        await redis.GeoRemoveAsync(RedisKeys.GeoTherapists, therapist.Id.ToString());
    }

    [Fact]
    public async Task with_a_scrape_token_metrics_answer_the_token_through_a_proxy_and_nothing_else()
    {
        // Its own host: a metrics scrape token configured.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["Metrics:ScrapeToken"] = Token });

        var ok = await Metrics(host, "10.1.2.3", "Bearer " + Token, HttpStatusCode.OK);
        Assert.Contains("# TYPE ", await ok.ReadAsTextAsync());
        await Metrics(host, "127.0.0.1", null, HttpStatusCode.NotFound);                 // loopback alone is not enough any more
        await Metrics(host, "127.0.0.1", "Bearer " + Token[..^1] + "x", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_short_scrape_token_stops_start_up_in_one_line()
    {
        var api = new System.Diagnostics.ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Testing", ["REDIS_URL"] = TestEnvironment.RedisUrl, ["DATABASE_URL"] = TestEnvironment.DatabaseUrl,
                ["Metrics__ScrapeToken"] = "short", ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            },
        };
        using var process = System.Diagnostics.Process.Start(api)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        try { await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60)); }
        finally { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        await stdout;

        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith("ombaro: Metrics:ScrapeToken is shorter than 32 characters", (await process.StandardError.ReadToEndAsync()).Trim());
    }

    static Task<IScenarioResult> Metrics(IAlbaHost host, string peer, string? authorization, HttpStatusCode status) => host.Scenario(s =>
    {
        s.Get.Url("/metrics");
        s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(peer));
        s.WithRequestHeader("X-Forwarded-For", "203.0.113.9");
        if (authorization is not null) s.WithRequestHeader("Authorization", authorization);
        s.StatusCodeShouldBe(status);
    });

    static async Task<DateTimeOffset> ServerTime(IDatabase redis)
    {
        var time = (RedisResult[])(await redis.ExecuteAsync("TIME"))!;
        return DateTimeOffset.FromUnixTimeMilliseconds((long)time[0] * 1000 + (long)time[1] / 1000);
    }
}
