namespace Ombaro.Tests.Features.Auth;

/// <summary>Session lifetime and the session routes: logout, logout-all, device list, revoking one device.</summary>
[Collection(ApiCollection.Name)]
public sealed class SessionsTests(ApiFixture api)
{
    static long NowMs => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

    Task<IScenarioResult> Me(string token, int status = 200) =>
        api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.WithBearerToken(token); s.StatusCodeShouldBe(status); });

    [Fact]
    public async Task a_use_after_the_refresh_interval_slides_the_ttl_back_to_an_hour()
    {
        var user = await api.Host.SignInAsync(Roles.Customer);
        var key = TestSessions.Key(user.Token);
        await api.Redis.HashSetAsync(key, "touched", NowMs - 120_000);   // last refreshed two minutes ago
        await api.Redis.KeyExpireAsync(key, TimeSpan.FromMinutes(10));

        await Me(user.Token);

        Assert.InRange((await api.Redis.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
    }

    [Fact]
    public async Task a_use_within_the_refresh_interval_does_not_write()
    {
        var user = await api.Host.SignInAsync(Roles.Customer);
        var key = TestSessions.Key(user.Token);
        await api.Redis.KeyExpireAsync(key, TimeSpan.FromMinutes(10));   // touched just now, at login

        await Me(user.Token);

        Assert.InRange((await api.Redis.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task sliding_never_passes_the_absolute_expiry()
    {
        var user = await api.Host.SignInAsync(Roles.Customer);
        var key = TestSessions.Key(user.Token);
        await api.Redis.HashSetAsync(key, [new HashEntry("touched", NowMs - 120_000), new HashEntry("absolute_expiry", NowMs + 300_000)]);

        await Me(user.Token);

        Assert.InRange((await api.Redis.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task past_the_absolute_expiry_the_token_is_401_and_the_session_gone()
    {
        var user = await api.Host.SignInAsync(Roles.Customer);
        var key = TestSessions.Key(user.Token);
        await api.Redis.HashSetAsync(key, "absolute_expiry", NowMs - 1000);

        var result = await Me(user.Token, 401);

        Assert.StartsWith("Bearer", result.Context.Response.Headers.WWWAuthenticate.ToString());
        Assert.False(await api.Redis.KeyExistsAsync(key));
    }

    [Fact]
    public async Task a_login_sets_an_absolute_expiry_twelve_hours_out_and_the_device_index_lives_as_long()
    {
        var clock = api.Services.GetRequiredService<TimeProvider>();
        var before = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var login = await api.Host.LoginAsync(OtpLogin.NewMobile());
        var after = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var key = TestSessions.Key(login.GetProperty("token").GetString()!);
        const long twelveHours = 12 * 3600_000, oneHour = 3600_000;

        var absolute = (long)await api.Redis.HashGetAsync(key, "absolute_expiry");
        Assert.InRange(absolute, before + twelveHours, after + twelveHours);
        Assert.InRange(login.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeMilliseconds(), before + oneHour, after + oneHour);
        Assert.InRange((await api.Redis.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        var index = RedisKeys.UserSessions(login.GetProperty("user").GetProperty("id").GetGuid());
        Assert.InRange((await api.Redis.KeyTimeToLiveAsync(index))!.Value, TimeSpan.FromHours(12) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(12));
    }

    [Fact]
    public async Task logout_ends_only_the_session_in_use()
    {
        var mobile = OtpLogin.NewMobile();
        var phone = (await api.Host.LoginAsync(mobile)).GetProperty("token").GetString()!;
        var laptop = (await LoginAgain(mobile)).GetProperty("token").GetString()!;

        await api.Host.Scenario(s => { s.Post.Url("/api/v1/auth/logout"); s.WithBearerToken(phone); s.StatusCodeShouldBe(204); });

        await Me(phone, 401);
        await Me(laptop);
    }

    [Fact]
    public async Task logout_all_ends_every_session_of_the_user()
    {
        var mobile = OtpLogin.NewMobile();
        var phone = (await api.Host.LoginAsync(mobile)).GetProperty("token").GetString()!;
        var login = await LoginAgain(mobile);
        var laptop = login.GetProperty("token").GetString()!;

        var result = await api.Host.Scenario(s => { s.Post.Url("/api/v1/auth/logout-all"); s.WithBearerToken(laptop); });

        Assert.Equal(2, (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("revokedSessions").GetInt32());
        await Me(phone, 401);
        await Me(laptop, 401);
        Assert.False(await api.Redis.KeyExistsAsync(RedisKeys.UserSessions(login.GetProperty("user").GetProperty("id").GetGuid())));
    }

    [Fact]
    public async Task the_device_list_shows_each_session_and_marks_the_current_one()
    {
        var mobile = OtpLogin.NewMobile();
        var phone = (await api.Host.LoginAsync(mobile, userAgent: "Phone/1.0")).GetProperty("token").GetString()!;
        await LoginAgain(mobile, "Laptop/2.0");

        var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/sessions"); s.WithBearerToken(phone); });
        var devices = (await result.ReadAsJsonAsync<JsonElement>()).EnumerateArray().ToList();

        Assert.Equal(["Laptop/2.0", "Phone/1.0"], devices.Select(d => d.GetProperty("userAgent").GetString()).Order());
        var current = Assert.Single(devices, d => d.GetProperty("current").GetBoolean());
        Assert.Equal(SessionStore.Digest(phone), current.GetProperty("id").GetString());
        Assert.All(devices, d => Assert.True(d.TryGetProperty("loginTime", out _) && d.TryGetProperty("ipAddress", out _)));
    }

    [Fact]
    public async Task revoking_one_device_signs_only_that_device_out()
    {
        var mobile = OtpLogin.NewMobile();
        var phone = (await api.Host.LoginAsync(mobile)).GetProperty("token").GetString()!;
        var laptop = (await LoginAgain(mobile)).GetProperty("token").GetString()!;

        await api.Host.Scenario(s => { s.Delete.Url($"/api/v1/auth/sessions/{SessionStore.Digest(laptop)}"); s.WithBearerToken(phone); s.StatusCodeShouldBe(204); });

        await Me(laptop, 401);
        await Me(phone);
    }

    [Fact]
    public async Task another_users_session_cannot_be_revoked()
    {
        var victim = await api.Host.SignInAsync(Roles.Customer);
        var attacker = await api.Host.SignInAsync(Roles.Customer);

        var result = await api.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/v1/auth/sessions/{SessionStore.Digest(victim.Token)}");
            s.As(attacker);
            s.StatusCodeShouldBe(HttpStatusCode.NotFound);
        });

        Assert.Equal("The caller has no session with this id.", (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        await Me(victim.Token);
    }

    [Theory]
    [InlineData("POST", "/api/v1/auth/logout")]
    [InlineData("POST", "/api/v1/auth/logout-all")]
    [InlineData("GET", "/api/v1/auth/sessions")]
    [InlineData("DELETE", "/api/v1/auth/sessions/abc")]
    public async Task session_routes_are_401_without_a_token(string method, string url)
    {
        var result = await api.Host.Scenario(s =>
        {
            (method switch { "POST" => s.Post, "DELETE" => s.Delete, _ => s.Get }).Url(url);
            s.StatusCodeShouldBe(HttpStatusCode.Unauthorized);
        });
        Assert.StartsWith("Bearer", result.Context.Response.Headers.WWWAuthenticate.ToString());
    }

    async Task<JsonElement> LoginAgain(string mobile, string? userAgent = null)
    {
        await api.Redis.KeyDeleteAsync(RedisKeys.OtpCooldown(mobile));
        return await api.Host.LoginAsync(mobile, userAgent);
    }
}
