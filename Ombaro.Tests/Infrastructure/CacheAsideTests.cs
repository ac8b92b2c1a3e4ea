using Microsoft.AspNetCore.Http.Json;

namespace Ombaro.Tests.Infrastructure;

[Collection(ApiCollection.Name)]
public sealed class CacheAsideTests(ApiFixture api)
{
    public sealed record Value(string Name);

    CacheAside Cache => api.Services.GetRequiredService<CacheAside>();
    IDatabase CacheDb => api.Services.GetRequiredService<RedisConnections>().CacheDb;
    CacheMetrics Metrics => api.Services.GetRequiredService<CacheMetrics>();
    static RedisKey Key() => RedisKeys.Cache("test", Guid.NewGuid());

    /// <summary>
    /// The load is held until all 100 callers have missed (a miss is counted just before the caller joins the flight),
    /// so none of them can become a hit on the leader's write: every one of them must wait for the one load.
    /// </summary>
    [Fact]
    public async Task a_hundred_concurrent_misses_load_once()
    {
        var key = Key();
        var name = "test-flight-" + Guid.NewGuid();
        var loads = 0;
        var gate = new TaskCompletionSource();
        async Task<Value?> Load(CancellationToken _)
        {
            Interlocked.Increment(ref loads);
            await gate.Task;                      // hold the load until every caller is waiting
            return new Value("from postgres");
        }

        var reads = Enumerable.Range(0, 100).Select(_ => Task.Run(() => Cache.GetOrLoadAsync(name, key, TimeSpan.FromMinutes(1), Load, default))).ToList();
        await RedisServerProcess.WaitUntil(() => Task.FromResult(Metrics.Snapshot.TryGetValue(name, out var t) && t.Misses == 100));
        Assert.False(await CacheDb.KeyExistsAsync(key));   // nothing written while the load is held
        gate.SetResult();
        var values = await Task.WhenAll(reads);

        Assert.Equal(1, loads);
        Assert.Equal(1, Metrics.Snapshot[name].Loads);
        Assert.Equal(0, Metrics.Snapshot[name].Hits);
        Assert.All(values, v => Assert.Equal("from postgres", v!.Name));
        Assert.Equal("{\"name\":\"from postgres\"}", (string?)await CacheDb.StringGetAsync(key));
    }

    [Fact]
    public async Task a_hit_is_served_from_redis_and_counted()
    {
        var key = Key();
        await Cache.GetOrLoadAsync("test-hits", key, TimeSpan.FromMinutes(1), _ => Task.FromResult<Value?>(new Value("a")), default);
        var hitsBefore = Metrics.Snapshot["test-hits"].Hits;

        var second = await Cache.GetOrLoadAsync("test-hits", key, TimeSpan.FromMinutes(1), _ => Task.FromResult<Value?>(new Value("b")), default);

        Assert.Equal("a", second!.Name);
        Assert.Equal(hitsBefore + 1, Metrics.Snapshot["test-hits"].Hits);
    }

    [Fact]
    public async Task ttls_carry_jitter_within_bounds()
    {
        var ttls = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var key = Key();
            await Cache.GetOrLoadAsync("test", key, TimeSpan.FromMinutes(10), _ => Task.FromResult<Value?>(new Value("x")), default);
            ttls.Add((await CacheDb.KeyTimeToLiveAsync(key))!.Value);
        }
        Assert.All(ttls, t => Assert.InRange(t, TimeSpan.FromMinutes(9.9), TimeSpan.FromMinutes(11)));
        Assert.True(ttls.Distinct().Count() > 1, "every entry got the same TTL");
    }

    [Fact]
    public async Task null_is_not_cached_and_invalidation_removes_every_key()
    {
        var missing = Key();
        Assert.Null(await Cache.GetOrLoadAsync("test", missing, TimeSpan.FromMinutes(1), _ => Task.FromResult<Value?>(null), default));
        Assert.False(await CacheDb.KeyExistsAsync(missing));

        var keys = Enumerable.Range(0, 3).Select(_ => Key()).ToArray();
        foreach (var k in keys) await Cache.GetOrLoadAsync("test", k, TimeSpan.FromMinutes(1), _ => Task.FromResult<Value?>(new Value("x")), default);
        await Cache.InvalidateAsync(keys);
        foreach (var k in keys) Assert.False(await CacheDb.KeyExistsAsync(k));   // one key a call: on a cluster they live on several slots
    }

    [Fact]
    public async Task a_cached_value_that_does_not_decode_is_a_miss_and_is_replaced()
    {
        var key = Key();
        await CacheDb.StringSetAsync(key, "{not json", TimeSpan.FromMinutes(1));   // corrupt, or an older release's shape

        var value = await Cache.GetOrLoadAsync("test", key, TimeSpan.FromMinutes(1), _ => Task.FromResult<Value?>(new Value("fresh")), default);

        Assert.Equal(new Value("fresh"), value);
        Assert.Contains("fresh", (string?)await CacheDb.StringGetAsync(key));
    }

    [Fact]
    public async Task bumping_a_generation_changes_it_and_the_counter_has_a_ttl()
    {
        var family = "test-" + Guid.NewGuid();
        var before = await Cache.GenerationAsync(family);
        await Cache.BumpGenerationAsync(family);
        Assert.Equal(before + 1, await Cache.GenerationAsync(family));
        Assert.NotNull(await CacheDb.KeyTimeToLiveAsync(RedisKeys.Cache("generation", family)));
    }

    [Fact]
    public async Task with_redis_unreachable_the_value_comes_from_postgres_quickly()
    {
        var dead = new RedisEndpoint("127.0.0.1", 1, null, null, 0, false);
        await using var connections = new RedisConnections(new ConnectionSettings(dead, dead, "unused"), NullLogger<RedisConnections>.Instance);
        var metrics = api.Services.GetRequiredService<CacheMetrics>();
        var cache = new CacheAside(connections, Options.Create(new CacheOptions()), api.Services.GetRequiredService<IOptions<JsonOptions>>(),
            metrics, TimeProvider.System, NullLogger<CacheAside>.Instance);
        var before = metrics.Snapshot.TryGetValue("test-dead", out var t) ? t.Fallbacks : 0;

        var value = await cache.GetOrLoadAsync("test-dead", Key(), TimeSpan.FromMinutes(1), _ => Task.FromResult<Value?>(new Value("pg")), default);

        Assert.Equal("pg", value!.Name);
        Assert.Equal(before + 1, metrics.Snapshot["test-dead"].Fallbacks);
    }

    /// <summary>The budget runs on the app's clock: a fake one shows the fallback happens once the budget is spent, not before.</summary>
    [Fact]
    public async Task with_redis_slower_than_the_budget_the_value_comes_from_postgres()
    {
        await using var server = await RedisServerProcess.StartAsync();
        var endpoint = new RedisEndpoint("127.0.0.1", server.Port, null, null, 0, false);
        await using var connections = new RedisConnections(new ConnectionSettings(endpoint, endpoint, "unused"), NullLogger<RedisConnections>.Instance);
        var budget = TimeSpan.FromMilliseconds(100);
        var clock = new FakeTimeProvider();
        var cache = new CacheAside(connections, Options.Create(new CacheOptions { RedisBudget = budget }),
            api.Services.GetRequiredService<IOptions<JsonOptions>>(), Metrics, clock, NullLogger<CacheAside>.Instance);
        await connections.CacheDb.PingAsync();
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port},allowAdmin=true");
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "10000", "ALL");   // Redis answers nobody (until the server is stopped)
        var name = "test-slow-" + Guid.NewGuid();

        var read = cache.GetOrLoadAsync(name, Key(), TimeSpan.FromMinutes(1), _ => Task.FromResult<Value?>(new Value("pg")), default);
        clock.Advance(budget - TimeSpan.FromMilliseconds(1));
        Assert.False(read.IsCompleted, "fell back before the budget was spent");
        await RedisServerProcess.WaitUntil(() => { clock.Advance(budget / 10); return Task.FromResult(read.IsCompleted); });   // see RateLimitingTests
        var value = await read;

        Assert.Equal("pg", value!.Name);
        Assert.Equal(1, Metrics.Snapshot[name].Fallbacks);
        await server.StopAsync();   // the pause would hold the clients' disposal
    }
}
