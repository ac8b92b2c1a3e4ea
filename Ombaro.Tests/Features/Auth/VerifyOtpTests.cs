namespace Ombaro.Tests.Features.Auth;

[Collection(ApiCollection.Name)]
public sealed class VerifyOtpTests(ApiFixture api)
{
    [Fact]
    public async Task a_new_mobile_becomes_a_customer_with_a_live_session()
    {
        var mobile = OtpLogin.NewMobile();
        var login = await api.Host.LoginAsync(mobile, userAgent: "phone-a");

        var user = login.GetProperty("user");
        Assert.Equal("customer", user.GetProperty("role").GetString());
        Assert.True(user.GetProperty("isNew").GetBoolean());
        Assert.InRange(login.GetProperty("expiresAt").GetDateTimeOffset() - TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        var token = login.GetProperty("token").GetString()!;
        Assert.Equal($"{user.GetProperty("id").GetGuid():N}.", token[..33]);   // the user names where the session lives
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token[33..]);                     // 32 random bytes

        var me = await api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.WithBearerToken(token); });
        Assert.Equal(mobile, (await me.ReadAsJsonAsync<JsonElement>()).GetProperty("mobile").GetString());
        Assert.False(await api.Redis.KeyExistsAsync(RedisKeys.Otp(mobile)));   // the code is gone once used
        var session = TestSessions.Key(token);
        Assert.Equal("phone-a", (string?)await api.Redis.HashGetAsync(session, "user_agent"));
        Assert.NotNull(await api.Redis.KeyTimeToLiveAsync(session));
        Assert.NotNull(await api.Redis.KeyTimeToLiveAsync(RedisKeys.UserSessions(user.GetProperty("id").GetGuid())));
    }

    [Fact]
    public async Task a_known_mobile_signs_in_with_its_role_and_is_not_new()
    {
        var vendor = await api.Host.SignInAsync("vendor");
        var login = await api.Host.LoginAsync(vendor.Mobile);
        var user = login.GetProperty("user");
        Assert.Equal((vendor.Id, "vendor", false), (user.GetProperty("id").GetGuid(), user.GetProperty("role").GetString(), user.GetProperty("isNew").GetBoolean()));
    }

    [Fact]
    public async Task second_verify_of_the_same_code_is_rejected()
    {
        var mobile = OtpLogin.NewMobile();
        await api.Host.RequestOtpAsync(mobile);
        var code = api.Host.Sms().LastCodeFor(mobile);
        await api.Host.VerifyOtpAsync(mobile, code);

        var again = await api.Host.VerifyOtpAsync(mobile, code, 400);
        var problem = await again.ReadAsJsonAsync<JsonElement>();
        Assert.Equal("Code not accepted", problem.GetProperty("title").GetString());
        Assert.Contains("No code is pending", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task five_wrong_codes_void_the_code_for_that_client_only()
    {
        var mobile = OtpLogin.NewMobile();
        await api.Host.RequestOtpAsync(mobile);
        var code = api.Host.Sms().LastCodeFor(mobile);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var left = 4; left >= 1; left--)
        {
            var problem = await (await OtpAbuse.Verify(api.Host, mobile, wrong, "198.51.100.20", 400)).ReadAsJsonAsync<JsonElement>();
            Assert.Equal(left, problem.GetProperty("attemptsLeft").GetInt32());
            Assert.Equal(5 - left, (int)await api.Redis.HashGetAsync(RedisKeys.Otp(mobile), "attempts:198.51.100.20"));
        }
        var fifth = await (await OtpAbuse.Verify(api.Host, mobile, wrong, "198.51.100.20", 400)).ReadAsJsonAsync<JsonElement>();
        Assert.Contains("Too many wrong codes", fifth.GetProperty("detail").GetString());

        // the right code from that client is no longer checked (no sixth guess: 429 within the delay, 400 after it), ...
        var right = await OtpAbuse.Verify(api.Host, mobile, code, "198.51.100.20", null);
        Assert.Contains(right.Context.Response.StatusCode, new[] { 400, 429 });
        // ... but the owner, elsewhere, still signs in with it
        await OtpAbuse.Verify(api.Host, mobile, code, "198.51.100.21", 200);
    }

    [Fact]
    public async Task fifty_parallel_verifies_of_the_right_code_give_exactly_one_session()
    {
        var mobile = OtpLogin.NewMobile();
        await api.Host.RequestOtpAsync(mobile);
        var code = api.Host.Sms().LastCodeFor(mobile);
        using var client = api.Host.Server.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            Task.Run(() => client.PostAsJsonAsync("/api/v1/auth/otp/verify", new { mobile, code }))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == System.Net.HttpStatusCode.OK));
        Assert.Equal(49, responses.Count(r => r.StatusCode == System.Net.HttpStatusCode.BadRequest));
        await using var conn = await api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM users WHERE mobile = @mobile", new { mobile }));
    }

    [Fact]
    public async Task concurrent_first_logins_of_one_mobile_create_one_user()
    {
        var mobile = OtpLogin.NewMobile();
        var accounts = api.Services.GetRequiredService<UserAccounts>();
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => accounts.SignInAsync(mobile, null, default))));
        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Single(results, r => r.IsNew);
    }

    [Fact]
    public async Task an_unknown_or_expired_code_is_a_400_problem()
    {
        var result = await api.Host.VerifyOtpAsync(OtpLogin.NewMobile(), "123456", 400);
        result.Context.Response.ContentType.ShouldBeProblem();
        Assert.Equal(0, (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("attemptsLeft").GetInt32());
    }

    [Fact]
    public async Task a_suspended_account_is_refused_after_a_right_code()
    {
        var user = await api.Host.SignInAsync("customer");
        await using (var conn = await api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE users SET status = 'suspended' WHERE id = @Id", new { user.Id });
        await api.Host.RequestOtpAsync(user.Mobile);
        var result = await api.Host.VerifyOtpAsync(user.Mobile, api.Host.Sms().LastCodeFor(user.Mobile), 403);
        Assert.Contains("suspended", (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task a_configured_mobile_becomes_an_admin_on_first_login()
    {
        var admin = OtpLogin.NewMobile();
        // A host of its own: the bootstrap admin mobile is configuration the shared host does not have.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["Auth:AdminMobiles:0"] = "0" + admin[3..] });

        var login = await host.LoginAsync(admin);
        var other = await host.LoginAsync(OtpLogin.NewMobile());

        Assert.Equal("admin", login.GetProperty("user").GetProperty("role").GetString());
        Assert.True(login.GetProperty("user").GetProperty("isNew").GetBoolean());
        Assert.Equal("customer", other.GetProperty("user").GetProperty("role").GetString());
    }
}
