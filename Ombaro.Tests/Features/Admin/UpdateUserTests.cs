namespace Ombaro.Tests.Features.Admin;

/// <summary>PATCH /api/v1/admin/users/{id}: role and status changes, the sessions they revoke, the audit; who may call the user routes.</summary>
[Collection(ApiCollection.Name)]
public sealed class UpdateUserTests(ApiFixture api)
{
    [Fact]
    public async Task a_role_change_revokes_every_session_at_once_and_is_audited()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var user = await api.Host.SignInAsync(Roles.Customer);
        TestUser[] devices = [user, await api.Host.SignInAgainAsync(user), await api.Host.SignInAgainAsync(user)];
        await api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(user); });   // caches the snapshot
        Assert.True(await CacheDb.KeyExistsAsync(RedisKeys.User(user.Id)));

        var result = await api.Host.Scenario(s =>
        {
            s.Patch.Json(new { role = "employee" }).ToUrl($"/api/v1/admin/users/{user.Id}");
            s.As(admin);
        });

        var body = await result.ReadAsJsonAsync<JsonElement>();
        Assert.Equal(("employee", 3), (body.GetProperty("role").GetString(), body.GetProperty("revokedSessions").GetInt32()));
        foreach (var device in devices)
            await api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(device); s.StatusCodeShouldBe(401); });
        Assert.False(await api.Services.GetRequiredService<RedisConnections>().StateDb.KeyExistsAsync(RedisKeys.UserSessions(user.Id)));
        Assert.False(await CacheDb.KeyExistsAsync(RedisKeys.User(user.Id)));
        var row = Assert.Single(await UserAudit.OfAsync(api.Services, user.Id));
        Assert.Equal(("user.update", admin.Id), (row.Action, row.ActorId));
        Assert.Contains("\"customer\"", row.Before);
        Assert.Contains("\"employee\"", row.After);

        var login = await api.Host.LoginAsync(user.Mobile);
        Assert.Equal("employee", login.GetProperty("user").GetProperty("role").GetString());
    }

    [Fact]
    public async Task deactivation_revokes_sessions_and_refuses_later_logins()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var user = await api.Host.SignInAsync(Roles.Vendor);
        TestUser[] devices = [user, await api.Host.SignInAgainAsync(user)];

        await api.Host.Scenario(s => { s.Patch.Json(new { status = "deactivated" }).ToUrl($"/api/v1/admin/users/{user.Id}"); s.As(admin); });

        foreach (var device in devices)
            await api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(device); s.StatusCodeShouldBe(401); });
        await api.Host.RequestOtpAsync(user.Mobile);
        await api.Host.VerifyOtpAsync(user.Mobile, api.Host.Sms().LastCodeFor(user.Mobile), 403);
    }

    [Fact]
    public async Task an_admin_cannot_change_themselves_and_unknown_users_are_404()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var self = await api.Host.Scenario(s => { s.Patch.Json(new { status = "suspended" }).ToUrl($"/api/v1/admin/users/{admin.Id}"); s.As(admin); s.StatusCodeShouldBe(409); });
        Assert.Equal("Cannot change yourself", (await self.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
        var missing = await api.Host.Scenario(s => { s.Patch.Json(new { role = "vendor" }).ToUrl($"/api/v1/admin/users/{Guid.NewGuid()}"); s.As(admin); s.StatusCodeShouldBe(404); });
        Assert.Equal("No user has this id.", (await missing.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        foreach (var typed in new[] { self, missing })   // typed problem answers are problem documents like every other
        {
            Assert.Equal("application/problem+json", typed.Context.Response.ContentType);
            var problem = await typed.ReadAsJsonAsync<JsonElement>();
            Assert.Equal(typed.Context.Response.StatusCode, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
            Assert.StartsWith("https://", problem.GetProperty("type").GetString());
        }
        var invalid = await api.Host.Scenario(s => { s.Patch.Json(new { status = "gone" }).ToUrl($"/api/v1/admin/users/{Guid.NewGuid()}"); s.As(admin); s.StatusCodeShouldBe(400); });
        Assert.True((await invalid.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _));
    }

    public static TheoryData<string, string, string?> RolesAndRoutes()
    {
        var data = new TheoryData<string, string, string?>();
        foreach (var role in new string?[] { null, Roles.Customer, Roles.Therapist, Roles.Vendor, Roles.Employee })
        {
            data.Add("POST", "/api/v1/admin/users", role);
            data.Add("PATCH", $"/api/v1/admin/users/{Guid.NewGuid()}", role);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RolesAndRoutes))]
    public async Task admin_routes_reject_every_other_role_and_anonymous(string method, string url, string? role)
    {
        var caller = role is null ? null : await api.Host.SignInAsync(role);
        var body = new { mobile = OtpLogin.NewMobile(), role = "admin" };
        await api.Host.Scenario(s =>
        {
            if (method == "POST") s.Post.Json(body).ToUrl(url); else s.Patch.Json(body).ToUrl(url);
            if (caller is not null) s.As(caller);
            s.StatusCodeShouldBe(caller is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
        });
    }

    StackExchange.Redis.IDatabase CacheDb => api.Services.GetRequiredService<RedisConnections>().CacheDb;
}
