namespace Ombaro.Tests.Features.Auth;

[Collection(ApiCollection.Name)]
public sealed class RequestOtpTests(ApiFixture api)
{
    [Fact]
    public async Task a_code_is_sent_and_only_its_digest_is_stored_with_ttls_on_every_key()
    {
        var mobile = OtpLogin.NewMobile();
        var result = await api.Host.RequestOtpAsync(mobile);
        var body = await result.ReadAsJsonAsync<JsonElement>();
        var code = api.Host.Sms().LastCodeFor(mobile);

        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(mobile, body.GetProperty("mobile").GetString());
        Assert.Equal(30, body.GetProperty("resendAfterSeconds").GetInt32());
        Assert.InRange(body.GetProperty("expiresAt").GetDateTimeOffset() - TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5.1));

        var hash = await api.Redis.HashGetAllAsync(RedisKeys.Otp(mobile));
        Assert.Equal(["attempts", "created", "digest"], hash.Select(e => e.Name.ToString()).Order());
        Assert.DoesNotContain(hash, e => e.Value.ToString().Contains(code, StringComparison.Ordinal));
        await AssertTtl(RedisKeys.Otp(mobile), TimeSpan.FromMinutes(5));
        await AssertTtl(RedisKeys.OtpCooldown(mobile), TimeSpan.FromSeconds(30));
        await AssertTtl(RedisKeys.OtpHourly(mobile), TimeSpan.FromHours(1));
    }

    [Theory]
    [InlineData("0{0}")]
    [InlineData("{0}")]
    [InlineData("+91 {1} {2}")]
    public async Task national_and_spaced_forms_are_normalised_to_e164(string format)
    {
        var national = "98" + Random.Shared.NextInt64(0, 100_000_000).ToString("D8");
        var input = string.Format(format, national, national[..5], national[5..]);
        var result = await api.Host.Scenario(s => { s.Post.Json(new { mobile = input }).ToUrl("/api/v1/auth/otp/request"); s.StatusCodeShouldBe(202); });
        Assert.Equal("+91" + national, (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("mobile").GetString());
    }

    [Fact]
    public async Task an_invalid_mobile_is_a_validation_problem()
    {
        var result = await api.Host.Scenario(s => { s.Post.Json(new { mobile = "12345" }).ToUrl("/api/v1/auth/otp/request"); s.StatusCodeShouldBe(400); });
        var problem = await result.ReadAsJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("mobile", out _));
    }

    [Fact]
    public async Task the_answer_is_the_same_for_a_known_and_an_unknown_mobile()
    {
        var known = await api.Host.SignInAsync("customer");
        var unknown = OtpLogin.NewMobile();
        var a = await (await api.Host.RequestOtpAsync(known.Mobile)).ReadAsJsonAsync<JsonElement>();
        var b = await (await api.Host.RequestOtpAsync(unknown)).ReadAsJsonAsync<JsonElement>();
        Assert.Equal(Shape(a), Shape(b));
        Assert.Single(api.Host.Sms().CodesFor(known.Mobile));
        Assert.Single(api.Host.Sms().CodesFor(unknown));

        static string Shape(JsonElement e) => string.Join(",", e.EnumerateObject().Select(p => p.Name + ":" + p.Value.ValueKind + (p.Name == "resendAfterSeconds" ? p.Value.ToString() : "")));
    }

    [Fact]
    public async Task a_resend_during_the_cooldown_is_429_with_retry_after()
    {
        var mobile = OtpLogin.NewMobile();
        await api.Host.RequestOtpAsync(mobile);
        var result = await api.Host.RequestOtpAsync(mobile, 429);

        var retryAfter = int.Parse(result.Context.Response.Headers.RetryAfter.ToString());
        Assert.InRange(retryAfter, 1, 30);
        var problem = await result.ReadAsJsonAsync<JsonElement>();
        Assert.Equal("Too many codes", problem.GetProperty("title").GetString());
        Assert.Contains("moments ago", problem.GetProperty("detail").GetString());
        Assert.Single(api.Host.Sms().CodesFor(mobile));
    }

    [Fact]
    public async Task the_sixth_code_within_an_hour_is_429_with_retry_after()
    {
        var mobile = OtpLogin.NewMobile();
        for (var i = 0; i < 5; i++)
        {
            await api.Host.RequestOtpAsync(mobile);
            await api.Redis.KeyDeleteAsync(RedisKeys.OtpCooldown(mobile));   // skip the 30 s cooldown, not the hourly cap
        }
        var result = await api.Host.RequestOtpAsync(mobile, 429);

        Assert.InRange(int.Parse(result.Context.Response.Headers.RetryAfter.ToString()), 3500, 3600);
        Assert.Contains("hourly limit", (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(5, api.Host.Sms().CodesFor(mobile).Count);
    }

    [Fact]
    public async Task a_resend_replaces_the_code_with_a_different_one()
    {
        var mobile = OtpLogin.NewMobile();
        for (var i = 0; i < 5; i++)   // a new code never equals the one it replaces (a 1-in-a-million draw is drawn again)
        {
            await api.Host.RequestOtpAsync(mobile);
            await api.Redis.KeyDeleteAsync(RedisKeys.OtpCooldown(mobile));
        }
        var codes = api.Host.Sms().CodesFor(mobile);
        Assert.All(codes.Zip(codes.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));

        var old = await api.Host.VerifyOtpAsync(mobile, codes[^2], 400);
        Assert.Contains("wrong", (await old.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        await api.Host.VerifyOtpAsync(mobile, codes[^1]);
    }

    [Fact]
    public async Task past_the_hourly_cap_the_last_code_stays_valid_until_a_code_may_be_sent_again()
    {
        var mobile = OtpLogin.NewMobile();
        for (var i = 0; i < 5; i++)
        {
            await api.Host.RequestOtpAsync(mobile);
            await api.Redis.KeyDeleteAsync(RedisKeys.OtpCooldown(mobile));
        }
        await api.Host.RequestOtpAsync(mobile, 429);

        var ttl = await api.Redis.KeyTimeToLiveAsync(RedisKeys.Otp(mobile));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(55), TimeSpan.FromHours(1));   // not the 5 minutes of a code
        await api.Host.VerifyOtpAsync(mobile, api.Host.Sms().LastCodeFor(mobile));
    }

    async Task AssertTtl(StackExchange.Redis.RedisKey key, TimeSpan max)
    {
        var ttl = await api.Redis.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, max - TimeSpan.FromSeconds(10), max);
    }
}
