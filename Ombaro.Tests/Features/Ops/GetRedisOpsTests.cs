using Ombaro.Api.Features.Ops;

namespace Ombaro.Tests.Features.Ops;

[Collection(ApiCollection.Name)]
public sealed class GetRedisOpsTests(ApiFixture api)
{
    const string Url = "/api/v1/admin/ops/redis";

    static async Task<JsonElement> Read(IAlbaHost host, TestUser admin)
    {
        var result = await host.Scenario(s => { s.Get.Url(Url); s.As(admin); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    /// <summary>The entries of one role: one for a standalone server, one per master of a Redis Cluster.</summary>
    static List<JsonElement> Servers(JsonElement body, string role) =>
        [.. body.GetProperty("servers").EnumerateArray().Where(s => s.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == role))];

    /// <summary>The entry of a role on a standalone server, the first master's on a cluster (each master is configured alike).</summary>
    static JsonElement Server(JsonElement body, string role) => Servers(body, role)[0];

    static IEnumerable<JsonElement> Alerts(JsonElement body, string metric) =>
        body.GetProperty("alerts").EnumerateArray().Where(a => a.GetProperty("metric").GetString() == metric);

    [Fact]
    public async Task an_admin_sees_both_servers_with_their_settings_latency_hit_rates_and_key_namespaces()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var cache = api.Services.GetRequiredService<CacheAside>();
        var key = RedisKeys.Cache("opstest", Guid.NewGuid());
        for (var i = 0; i < 3; i++)
            await cache.GetOrLoadAsync("ops-test", key, TimeSpan.FromMinutes(1), _ => Task.FromResult<string?>("value"), default);

        var body = await Read(api.Host, admin);

        Assert.False(body.GetProperty("sameServer").GetBoolean());
        Assert.Equal(TestEnvironment.RedisMasters, Servers(body, RedisRole.State).Count);   // one entry, or one per cluster master
        Assert.Equal(TestEnvironment.RedisMasters, Servers(body, RedisRole.Cache).Count);
        var state = Server(body, RedisRole.State);
        var cacheServer = Server(body, RedisRole.Cache);
        Assert.NotEqual(state.GetProperty("endpoint").GetString(), cacheServer.GetProperty("endpoint").GetString());
        Assert.Equal("noeviction", state.GetProperty("info").GetProperty("maxMemoryPolicy").GetString());
        Assert.Equal("allkeys-lru", cacheServer.GetProperty("info").GetProperty("maxMemoryPolicy").GetString());
        Assert.Equal(256L * 1024 * 1024, cacheServer.GetProperty("info").GetProperty("maxMemoryBytes").GetInt64());
        Assert.True(cacheServer.GetProperty("info").GetProperty("usedMemoryBytes").GetInt64() > 0);
        Assert.True(cacheServer.GetProperty("info").GetProperty("connectedClients").GetInt64() >= 1);

        // the session check (a Lua script on the state role) and the cache reads were timed
        Assert.True(state.GetProperty("latency").GetProperty("samples").GetInt64() >= 1);
        var latency = cacheServer.GetProperty("latency");
        Assert.True(latency.GetProperty("samples").GetInt64() >= 3);
        Assert.InRange(latency.GetProperty("p50Ms").GetDouble(), 0, latency.GetProperty("p99Ms").GetDouble());

        var figures = body.GetProperty("caches").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "ops-test");
        Assert.True(figures.GetProperty("hits").GetInt64() >= 2);
        Assert.True(figures.GetProperty("misses").GetInt64() >= 1);

        Assert.Contains("session", Servers(body, RedisRole.State).SelectMany(Namespaces));
        Assert.Contains("cache:opstest", Servers(body, RedisRole.Cache).SelectMany(Namespaces));
        Assert.Contains("polluted", body.GetProperty("notes").GetString());
    }

    static IEnumerable<string?> Namespaces(JsonElement server) =>
        server.GetProperty("keys").GetProperty("namespaces").EnumerateArray().Select(n => n.GetProperty("name").GetString());

    [Fact]
    public async Task a_cache_below_the_hit_rate_target_raises_an_alert()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var cache = api.Services.GetRequiredService<CacheAside>();
        var name = "ops-cold-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < RedisAlerts.MinLookups; i++)   // every read a new key: all misses
            await cache.GetOrLoadAsync(name, RedisKeys.Cache("opstest", Guid.NewGuid()), TimeSpan.FromMinutes(1), _ => Task.FromResult<string?>("v"), default);

        var alert = Assert.Single(Alerts(await Read(api.Host, admin), "hitRate"), a => a.GetProperty("subject").GetString() == $"cache:{name}");
        Assert.Equal(0, alert.GetProperty("value").GetDouble());
        Assert.Equal(0.8, alert.GetProperty("threshold").GetDouble());
    }

    [Fact]
    public async Task one_server_for_both_roles_is_reported_once_and_said_so()
    {
        // Its own host: both roles on one server.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["REDIS_CACHE_URL"] = TestEnvironment.RedisUrl });
        var admin = await host.SignInAsync(Roles.Admin);

        var body = await Read(host, admin);

        Assert.True(body.GetProperty("sameServer").GetBoolean());
        var servers = body.GetProperty("servers").EnumerateArray().ToList();
        Assert.Equal(TestEnvironment.RedisMasters, servers.Count);   // one, or one per cluster master
        Assert.All(servers, server => Assert.Equal(["state", "cache"], server.GetProperty("roles").EnumerateArray().Select(r => r.GetString())));
    }

    [Fact]
    public async Task evictions_on_the_state_server_are_critical_and_the_key_sample_stays_bounded()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using (var mux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},allowAdmin=true"))
        {
            var db = mux.GetDatabase();
            var server = mux.GetServers().Single();
            // fill past a small maxmemory under an evicting policy, then protect what the test writes next
            await server.ConfigSetAsync("maxmemory-policy", "allkeys-random");
            await server.ConfigSetAsync("maxmemory", "3mb");
            var filler = new string('x', 200);
            var batch = db.CreateBatch();
            var writes = Enumerable.Range(0, 15_000).Select(i => batch.StringSetAsync($"ombaro:cache:filler:{i}", filler, TimeSpan.FromHours(1))).ToList();
            batch.Execute();
            await Task.WhenAll(writes);
            Assert.True((long)(await server.InfoAsync("stats")).SelectMany(g => g).Where(kv => kv.Key == "evicted_keys").Select(kv => long.Parse(kv.Value)).Single() > 0);
            await server.ConfigSetAsync("maxmemory-policy", "noeviction");
            await server.ConfigSetAsync("maxmemory", "0");
            batch = db.CreateBatch();
            writes = Enumerable.Range(0, 12_000).Select(i => batch.StringSetAsync($"ombaro:otp:+9190{i:D8}", "x", TimeSpan.FromHours(1))).ToList();
            batch.Execute();
            await Task.WhenAll(writes);
        }
        // Its own host: on a Redis of its own, filled and evicted by the test.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url });
        var admin = await host.SignInAsync(Roles.Admin);

        var body = await Read(host, admin);

        var alert = Assert.Single(Alerts(body, "evictions"));
        Assert.Equal(("critical", "state"), (alert.GetProperty("severity").GetString(), alert.GetProperty("subject").GetString()));
        var keys = Server(body, RedisRole.State).GetProperty("keys");
        Assert.True(keys.GetProperty("databaseSize").GetInt64() > RedisServerReport.KeySampleLimit);
        Assert.InRange(keys.GetProperty("scanned").GetInt64(), 1, RedisServerReport.KeySampleLimit);
        Assert.False(keys.GetProperty("complete").GetBoolean());
        var estimated = keys.GetProperty("namespaces").EnumerateArray().Sum(n => n.GetProperty("estimated").GetInt64());
        Assert.InRange(estimated, keys.GetProperty("databaseSize").GetInt64() * 0.9, keys.GetProperty("databaseSize").GetInt64() * 1.1);
    }

    [Fact]
    public async Task an_unreachable_cache_server_is_reported_not_failed()
    {
        await using var cacheRedis = await RedisServerProcess.StartAsync();
        // Its own host: on a cache Redis of its own, which the test stops.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["REDIS_CACHE_URL"] = cacheRedis.Url });
        var admin = await host.SignInAsync(Roles.Admin);
        await cacheRedis.StopAsync();

        var body = await Read(host, admin);

        Assert.False(Server(body, RedisRole.Cache).GetProperty("reachable").GetBoolean());
        var alert = Assert.Single(Alerts(body, "reachable"));
        Assert.Equal(("critical", "cache"), (alert.GetProperty("severity").GetString(), alert.GetProperty("subject").GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Roles.Customer)]
    [InlineData(Roles.Therapist)]
    [InlineData(Roles.Vendor)]
    [InlineData(Roles.Employee)]
    public async Task only_admins_may_read_it(string? role)
    {
        var user = role is null ? null : await api.Host.SignInAsync(role);
        var result = await api.Host.Scenario(s =>
        {
            s.Get.Url(Url);
            if (user is not null) s.As(user);
            s.StatusCodeShouldBe(user is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
            s.ContentTypeShouldBe("application/problem+json");
        });
        Assert.Equal(user is null ? 401 : 403, (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }
}
