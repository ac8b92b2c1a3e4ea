namespace Ombaro.Tests.Infrastructure;

[Collection(ApiCollection.Name)]
public sealed class RedisStoreTests(ApiFixture api)
{
    RedisStore Store => api.Services.GetRequiredKeyedService<RedisStore>(RedisRole.State);
    static RedisKey Key(string what) => RedisKeys.Cache("test", what, Guid.NewGuid());

    /// <summary>The <c>increment</c> script (cache generations): INCRBY that gives a new counter its TTL in the same step.</summary>
    async Task<long> Increment(RedisKey key, long amount, TimeSpan ttl) =>
        (long)await RedisScript.Named("increment").EvaluateAsync(api.Redis, [key], [amount, (long)ttl.TotalMilliseconds]);

    [Fact]
    public async Task hashes_round_trip_and_carry_their_ttl()
    {
        var key = Key("hash");
        await Store.SetHashAsync(key, new Dictionary<string, string> { ["user_id"] = "u1", ["role"] = "customer" }, TimeSpan.FromMinutes(5));

        Assert.Equal(new Dictionary<string, string> { ["user_id"] = "u1", ["role"] = "customer" }, await Store.GetHashAsync(key));
        Assert.InRange((await api.Redis.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task a_write_without_a_positive_ttl_is_refused()
    {
        var key = Key("nottl");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SetHashAsync(key, new Dictionary<string, string> { ["a"] = "b" }, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SetHashAsync(key, new Dictionary<string, string> { ["a"] = "b" }, TimeSpan.FromSeconds(-1)));
        Assert.False(await api.Redis.KeyExistsAsync(key));
    }

    [Fact]
    public async Task the_increment_script_is_exact_under_200_parallel_calls_and_sets_a_ttl()
    {
        var key = Key("counter");
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => Increment(key, 1, TimeSpan.FromMinutes(1)))));

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), results.Order());
        Assert.Equal(200, (long)await api.Redis.StringGetAsync(key));
        Assert.InRange((await api.Redis.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task the_increment_script_keeps_the_ttl_it_gave_the_counter()
    {
        var key = Key("window");
        await Increment(key, 1, TimeSpan.FromMinutes(1));
        await Increment(key, 5, TimeSpan.FromHours(5));      // a later call does not extend the window
        Assert.Equal(6, (long)await api.Redis.StringGetAsync(key));
        Assert.True((await api.Redis.KeyTimeToLiveAsync(key))!.Value <= TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task bulk_delete_removes_every_key_in_one_round_trip()
    {
        // A server of its own, so that its read counter sees only this test's traffic.
        await using var server = await RedisServerProcess.StartAsync();
        await using var mux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port},allowAdmin=true");
        var db = mux.GetDatabase();
        var keys = Enumerable.Range(0, 100).Select(i => (RedisKey)$"ombaro:cache:test:bulk:{i}").ToArray();
        foreach (var k in keys) await db.StringSetAsync(k, "x", TimeSpan.FromMinutes(1));
        var ioServer = mux.GetServer(mux.GetEndPoints()[0]);

        var before = await ReadsProcessed(ioServer);
        var deleted = await RedisStore.DeleteManyAsync(db, keys);
        var after = await ReadsProcessed(ioServer);

        Assert.Equal(100, deleted);
        foreach (var k in keys) Assert.False(await db.KeyExistsAsync(k));
        // The INFO call that reads 'after' is one read; the pipeline arrives as one more (a large
        // pipeline may straddle two socket reads). 100 separate calls would be 100 reads.
        Assert.InRange(after - before, 1, 3);
    }

    static async Task<long> ReadsProcessed(IServer server)
    {
        var stats = (await server.InfoAsync("stats")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        return long.Parse(stats["total_reads_processed"], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task a_lua_script_still_runs_after_script_flush()
    {
        var key = Key("lua");
        Assert.Equal(1, await Increment(key, 1, TimeSpan.FromMinutes(1)));

        var connections = api.Services.GetRequiredService<RedisConnections>();
        foreach (var server in connections.State.GetServers().Where(s => !s.IsReplica)) await server.ScriptFlushAsync();   // every master

        Assert.Equal(2, await Increment(key, 1, TimeSpan.FromMinutes(1)));
    }
}
