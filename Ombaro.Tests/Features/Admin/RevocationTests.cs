namespace Ombaro.Tests.Features.Admin;

/// <summary>
/// Sessions die with the account: authentication reads the user's current role and status, so a change refuses
/// old tokens at once on every instance, even when the session keys survive the change.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RevocationTests(ApiFixture api)
{
    [Theory]
    [InlineData(Roles.Customer, "{\"status\":\"suspended\"}", "/api/v1/auth/me")]
    [InlineData(Roles.Admin, "{\"role\":\"customer\"}", "/api/v1/admin/users")]
    public async Task a_changed_account_is_refused_at_once_on_another_instance_with_its_session_keys_left_in_place(
        string role, string change, string route)
    {
        // A second host: the change must be refused on another instance at once.
        await using var other = await ApiFixture.StartHostAsync();
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var user = await api.Host.SignInAsync(role);
        await other.Scenario(s => { s.Get.Url(route); s.As(user); s.StatusCodeShouldBeOk(); });   // the other instance cached the snapshot
        var kept = await Keep(user);

        await api.Host.Scenario(s => { s.Patch.Text(change).ToUrl($"/api/v1/admin/users/{user.Id}"); s.WithRequestHeader("Content-Type", "application/json"); s.As(admin); });
        await kept.RestoreAsync();   // as if the revocation had failed after the commit

        var refused = await other.Scenario(s => { s.Get.Url(route); s.As(user); s.StatusCodeShouldBe(401); });
        Assert.Contains("invalid_token", refused.Context.Response.Headers.WWWAuthenticate.ToString());
        await api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(user); s.StatusCodeShouldBe(401); });
    }

    [Theory]
    [InlineData(Roles.Customer, "{\"status\":\"suspended\"}", "/api/v1/profile")]
    [InlineData(Roles.Admin, "{\"role\":\"customer\"}", "/api/v1/admin/users")]
    public async Task a_change_is_refused_at_once_on_both_hosts_with_their_in_process_snapshots_warm(string role, string change, string route)
    {
        await using var other = await ApiFixture.StartHostAsync();
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var user = await api.Host.SignInAsync(role);
        foreach (var host in new[] { api.Host, other })
            await host.Scenario(s => { s.Get.Url(route); s.As(user); s.StatusCodeShouldBeOk(); });   // each keeps the snapshot in process
        var kept = await Keep(user);

        await api.Host.Scenario(s => { s.Patch.Text(change).ToUrl($"/api/v1/admin/users/{user.Id}"); s.WithRequestHeader("Content-Type", "application/json"); s.As(admin); });
        await kept.RestoreAsync();

        foreach (var host in new[] { api.Host, other })
            await host.Scenario(s => { s.Get.Url(route); s.As(user); s.StatusCodeShouldBe(401); });
    }

    [Fact]
    public async Task the_in_process_snapshot_serves_until_the_generation_moves_then_no_host_admits_the_old_status()
    {
        await using var other = await ApiFixture.StartHostAsync();
        var user = await api.Host.SignInAsync(Roles.Customer);
        foreach (var host in new[] { api.Host, other })
            await host.Scenario(s => { s.Get.Url("/api/v1/profile"); s.As(user); s.StatusCodeShouldBeOk(); });
        await using (var conn = await api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE users SET status = 'suspended' WHERE id = @Id", new { user.Id });
        await CacheDb.KeyDeleteAsync(RedisKeys.User(user.Id));
        foreach (var host in new[] { api.Host, other })   // no shared snapshot left: the hosts answer from memory
            await host.Scenario(s => { s.Get.Url("/api/v1/profile"); s.As(user); s.StatusCodeShouldBeOk(); });

        await other.Services.GetRequiredService<UserSnapshots>().ChangedAsync(user.Id);   // what every status change does, on one host

        foreach (var host in new[] { api.Host, other })
            await host.Scenario(s => { s.Get.Url("/api/v1/profile"); s.As(user); s.StatusCodeShouldBe(401); });
    }

    [Fact]
    public async Task the_in_process_snapshot_is_read_anew_once_its_ttl_has_passed()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await ApiFixture.StartHostAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var user = await host.SignInAsync(Roles.Customer);
        await host.Scenario(s => { s.Get.Url("/api/v1/profile"); s.As(user); s.StatusCodeShouldBeOk(); });
        await using (var conn = await api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE users SET status = 'suspended' WHERE id = @Id", new { user.Id });   // no generation bump
        await CacheDb.KeyDeleteAsync(RedisKeys.User(user.Id));
        clock.Advance(UserSnapshots.LocalTtl - TimeSpan.FromSeconds(1));
        await host.Scenario(s => { s.Get.Url("/api/v1/profile"); s.As(user); s.StatusCodeShouldBeOk(); });   // still from memory

        clock.Advance(TimeSpan.FromSeconds(1));

        await host.Scenario(s => { s.Get.Url("/api/v1/profile"); s.As(user); s.StatusCodeShouldBe(401); });
    }

    [Fact]
    public async Task a_snapshot_loaded_before_the_change_and_written_after_it_is_not_served()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var user = await api.Host.SignInAsync(Roles.Customer);
        var snapshots = api.Services.GetRequiredService<UserSnapshots>();
        var stale = await snapshots.GetAsync(user.Id, default);   // an instance read the row ...

        await api.Host.Scenario(s => { s.Patch.Json(new { status = "suspended" }).ToUrl($"/api/v1/admin/users/{user.Id}"); s.As(admin); });
        var kept = await api.Host.SignInAgainAsync(user);
        // ... and writes it to the cache after the change committed and invalidated
        await CacheDb.StringSetAsync(RedisKeys.User(user.Id), JsonSerializer.SerializeToUtf8Bytes(stale, JsonSerializerOptions.Web), TimeSpan.FromHours(1));

        await api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(kept); s.StatusCodeShouldBe(401); });
        Assert.Equal("suspended", (await snapshots.GetAsync(user.Id, default))!.Status);
    }

    [Fact]
    public async Task a_patch_with_nothing_to_change_still_revokes_every_session()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var user = await api.Host.SignInAsync(Roles.Customer);
        await api.Host.Scenario(s => { s.Patch.Json(new { status = "suspended" }).ToUrl($"/api/v1/admin/users/{user.Id}"); s.As(admin); });
        var minted = await api.Host.SignInAgainAsync(user with { Role = Roles.Customer });   // a login that raced the change

        var retried = await api.Host.Scenario(s => { s.Patch.Json(new { status = "suspended" }).ToUrl($"/api/v1/admin/users/{user.Id}"); s.As(admin); });

        Assert.Equal(1, (await retried.ReadAsJsonAsync<JsonElement>()).GetProperty("revokedSessions").GetInt32());
        Assert.False(await api.Redis.KeyExistsAsync(TestSessions.Key(minted.Token)));
        await using var conn = await api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE entity = 'user' AND entity_id = @id", new { id = user.Id.ToString() }));   // nothing new to audit
    }

    [Fact]
    public async Task a_login_racing_a_suspension_gets_no_usable_session()
    {
        var user = await api.Host.SignInAsync(Roles.Customer);
        // the login read the account as active, then the suspension committed before its session was created
        await using (var conn = await api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE users SET status = 'suspended' WHERE id = @Id", new { user.Id });
        await api.Services.GetRequiredService<UserSnapshots>().ChangedAsync(user.Id);
        var raced = await api.Host.SignInAgainAsync(user);

        await api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(raced); s.StatusCodeShouldBe(401); });
    }

    IDatabase CacheDb => api.Services.GetRequiredService<RedisConnections>().CacheDb;

    /// <summary>A copy of the user's session keys, to put back after a revocation.</summary>
    async Task<KeptSession> Keep(TestUser user)
    {
        var key = TestSessions.Key(user.Token);
        return new KeptSession(api.Redis, key, await api.Redis.KeyDumpAsync(key) ?? throw new InvalidOperationException("no session"),
            RedisKeys.UserSessions(user.Id), SessionStore.Digest(user.Token));
    }

    sealed record KeptSession(IDatabase Redis, RedisKey Key, byte[] Dump, RedisKey Index, string Id)
    {
        public async Task RestoreAsync()
        {
            await Redis.KeyRestoreAsync(Key, Dump, TimeSpan.FromHours(1));
            await Redis.SetAddAsync(Index, Id);
        }
    }
}
