namespace Ombaro.Tests.Features.Auth;

/// <summary>OTP abuse: strangers cannot lock the owner out, brute force stays bounded, SMS pumping is capped.</summary>
[Collection(ApiCollection.Name)]
public sealed class OtpAbuseTests(ApiFixture api)
{
    [Fact]
    public async Task an_attacker_from_ten_addresses_cannot_keep_the_owner_from_signing_in()
    {
        // no delays, so the attackers reach every cap within the test
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["Otp:FailureDelay"] = "00:00:00" });
        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;
        var mobile = OtpLogin.NewMobile();
        var attackers = Enumerable.Range(1, 10).Select(i => $"203.0.113.{i}").ToList();

        // they use up the mobile's SMS cap (the cooldown skipped, as if 30 s passed each time) ...
        for (var i = 0; i < 5; i++)
        {
            await OtpAbuse.Request(host, mobile, attackers[i], 202);
            await redis.KeyDeleteAsync(RedisKeys.OtpCooldown(mobile));
        }
        await OtpAbuse.Request(host, mobile, attackers[5], 429);
        // ... and guess until every address is refused
        var wrong = host.Sms().LastCodeFor(mobile) == "000000" ? "111111" : "000000";
        foreach (var attacker in attackers)
        {
            for (var i = 0; i < 8; i++) await OtpAbuse.Verify(host, mobile, wrong, attacker, 400);
            Assert.Equal(5, await redis.SortedSetLengthAsync(RedisKeys.OtpFailures(mobile, attacker)));
        }
        Assert.Equal(50, (int)await redis.HashGetAsync(RedisKeys.Otp(mobile), "attempts"));   // 5 per address checked against the code

        // the owner asks for a code (refused: the cap is used up) and signs in with the last one the phone received
        var refused = await OtpAbuse.Request(host, mobile, "198.51.100.7", 429);
        Assert.Contains("stays valid", (await refused.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var login = await OtpAbuse.Verify(host, mobile, host.Sms().LastCodeFor(mobile), "198.51.100.7", 200);
        Assert.Equal("customer", (await login.ReadAsJsonAsync<JsonElement>()).GetProperty("user").GetProperty("role").GetString());
    }

    [Fact]
    public async Task fifty_parallel_wrong_guesses_of_one_code_check_exactly_the_per_code_cap()
    {
        var mobile = OtpLogin.NewMobile();
        await api.Host.RequestOtpAsync(mobile);
        var code = api.Host.Sms().LastCodeFor(mobile);
        var wrong = code == "000000" ? "111111" : "000000";
        using var client = api.Host.Server.CreateClient();   // one client: the test server's requests carry no address

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            Task.Run(() => client.PostAsJsonAsync("/api/v1/auth/otp/verify", new { mobile, code = wrong }))));
        var details = await Task.WhenAll(responses.Select(async r => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement));

        Assert.Equal(4, details.Count(d => d.GetProperty("detail").GetString()!.Contains("attempt(s) left")));
        Assert.Equal(5, (int)await api.Redis.HashGetAsync(RedisKeys.Otp(mobile), "attempts"));
        Assert.Equal(5, await api.Redis.SortedSetLengthAsync(RedisKeys.OtpFailures(mobile, "unknown")));
        Assert.All(responses, r => Assert.NotEqual(HttpStatusCode.OK, r.StatusCode));
        // the code itself survives for its owner elsewhere
        await OtpAbuse.Verify(api.Host, mobile, code, "198.51.100.30", 200);
    }

    [Fact]
    public async Task verifies_without_a_pending_code_count_nothing_and_a_new_code_does_not_reset_the_count()
    {
        // Its own host: a failure delay the test counts on.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["Otp:FailureDelay"] = "00:01:00" });
        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;
        var mobile = OtpLogin.NewMobile();
        const string ip = "192.0.2.44";
        for (var i = 0; i < 20; i++) await OtpAbuse.Verify(host, mobile, "123456", ip, 400);   // nothing pending
        Assert.False(await redis.KeyExistsAsync(RedisKeys.OtpFailures(mobile, ip)));

        await host.RequestOtpAsync(mobile);
        var wrong = host.Sms().LastCodeFor(mobile) == "000000" ? "111111" : "000000";
        await OtpAbuse.Verify(host, mobile, wrong, ip, 400);
        await OtpAbuse.Verify(host, mobile, wrong, ip, 400);
        await redis.KeyDeleteAsync(RedisKeys.OtpCooldown(mobile));
        await host.RequestOtpAsync(mobile);   // a new code ...
        wrong = host.Sms().LastCodeFor(mobile) == "000000" ? "111111" : "000000";

        Assert.Equal(2, await redis.SortedSetLengthAsync(RedisKeys.OtpFailures(mobile, ip)));   // ... keeps the client's failures
        var ttl = await redis.KeyTimeToLiveAsync(RedisKeys.OtpFailures(mobile, ip));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        for (var i = 0; i < 3; i++) await OtpAbuse.Verify(host, mobile, wrong, ip, 400);
        // the fifth failure of this client for this mobile starts the delays, although this code had only three
        var throttled = await OtpAbuse.Verify(host, mobile, host.Sms().LastCodeFor(mobile), ip, 429);
        Assert.InRange(int.Parse(throttled.Context.Response.Headers.RetryAfter.ToString()), 50, 60);
        await OtpAbuse.Verify(host, mobile, host.Sms().LastCodeFor(mobile), "192.0.2.45", 200);   // another client is not delayed
    }

    [Fact]
    public async Task the_configured_production_policies_are_the_ones_enforced()
    {
        // appsettings.json alone (no Testing overrides): Staging has no file of its own
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?>
        {
            ["Otp:Secret"] = "staging-test-otp-secret-0123456789abcdef0123",
            ["Sms:Sender"] = "http",
            ["Sms:Http:Url"] = "http://127.0.0.1:9/sms",   // never called: the tests' capturing sender replaces it
        }, environment: "Staging");
        var ip = $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";

        var first = await OtpAbuse.Request(host, OtpLogin.NewMobile(), ip, 202);
        Assert.Equal("\"default\";q=300;w=60, \"otp-request\";q=10;w=600", first.Context.Response.Headers["RateLimit-Policy"].ToString());
        var verify = await OtpAbuse.Verify(host, OtpLogin.NewMobile(), "123456", ip, 400);
        Assert.Equal("\"default\";q=300;w=60, \"otp-verify\";q=20;w=600", verify.Context.Response.Headers["RateLimit-Policy"].ToString());

        for (var i = 1; i < 10; i++) await OtpAbuse.Request(host, OtpLogin.NewMobile(), ip, 202);
        var limited = await OtpAbuse.Request(host, OtpLogin.NewMobile(), ip, 429);
        Assert.Equal("otp-request", (await limited.ReadAsJsonAsync<JsonElement>()).GetProperty("policy").GetString());
    }

    [Fact]
    public async Task the_platform_sms_budget_refuses_past_its_limit_counts_and_alerts()
    {
        await using var redis = await RedisServerProcess.StartAsync();   // the budget key is platform-wide: a Redis of its own
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = redis.Url, ["REDIS_CACHE_URL"] = redis.Url, ["Sms:BudgetPerMinute"] = "3",
        });
        var exhausted = Meters.Count(host, "ombaro.sms.budget_exhausted");
        var admin = await host.SignInAsync("admin");

        for (var i = 0; i < 3; i++) await host.RequestOtpAsync(OtpLogin.NewMobile());
        var refused = await host.RequestOtpAsync(OtpLogin.NewMobile(), 503);

        Assert.Contains("Too many codes are being sent", (await refused.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.InRange(int.Parse(refused.Context.Response.Headers.RetryAfter.ToString()), 1, 60);
        Assert.Equal(1, exhausted());
        var ops = await host.Scenario(s => { s.Get.Url("/api/v1/admin/ops/redis"); s.As(admin); });
        var alert = (await ops.ReadAsJsonAsync<JsonElement>()).GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("metric").GetString() == "smsBudget");
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
    }
}
