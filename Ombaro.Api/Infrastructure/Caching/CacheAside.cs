using Microsoft.AspNetCore.Http.Json;

namespace Ombaro.Api.Infrastructure.Caching;

/// <summary>
/// The one cache-aside mechanism every cached read uses, on the cache Redis role:
/// <list type="bullet">
/// <item>a miss loads from PostgreSQL once per key per instance however many requests wait for it (no stampede);</item>
/// <item>a Redis error, or a Redis slower than <see cref="CacheOptions.RedisBudget"/> (measured on the app's <see cref="TimeProvider"/>),
/// is logged and the value comes from PostgreSQL;</item>
/// <item>TTLs get random jitter; values are plain JSON; invalidation deletes all related keys in one pipeline;</item>
/// <item>generations (<see cref="GenerationAsync"/>) make whole families of keys unreachable at once.</item>
/// </list>
/// </summary>
public sealed partial class CacheAside(
    RedisConnections redis, IOptions<CacheOptions> options, IOptions<JsonOptions> json, CacheMetrics metrics,
    TimeProvider clock, ILogger<CacheAside> logger)
{
    readonly ConcurrentDictionary<string, Flight> inFlight = new();
    IDatabase Db => redis.CacheDb;
    JsonSerializerOptions Json => json.Value.SerializerOptions;
    TimeSpan Budget => options.Value.RedisBudget;

    /// <summary>The cached value, or the loaded one (cached for <paramref name="ttl"/>); null values are not cached.</summary>
    public async Task<T?> GetOrLoadAsync<T>(string cacheName, RedisKey key, TimeSpan ttl, Func<CancellationToken, Task<T?>> load,
        CancellationToken ct) where T : class
    {
        RedisValue cached;
        try
        {
            var start = Stopwatch.GetTimestamp();
            cached = await Db.StringGetAsync(key).WaitAsync(Budget, clock, ct);
            RedisLatency.Record(Db, start);
        }
        catch (Exception e) when (IsRedisTrouble(e))
        {
            metrics.Fallback(cacheName);
            LogFallback(cacheName, e.GetType().Name);
            return await SingleFlight(key, _ => Load(cacheName, load));
        }
        if (!cached.IsNull && Decode<T>(cached) is { } hit)
        {
            metrics.Hit(cacheName);
            return hit;
        }
        metrics.Miss(cacheName);   // absent, or not a value of this shape (an older release's, a corrupt one): loaded anew
        return await SingleFlight(key, async flight =>
        {
            // A request that missed just before the previous flight wrote its value may lead a new
            // flight after that one ended: one more read keeps it from loading again.
            if (await TryRead<T>(key) is { } written) return written;
            var value = await Load(cacheName, load);
            // An invalidation while this load ran means the value may predate the write: serve it, don't cache it.
            if (value is not null && !flight.Invalidated) await TryWrite(cacheName, key, JsonSerializer.SerializeToUtf8Bytes(value, Json), ttl);
            return value;
        });
    }

    T? Decode<T>(RedisValue cached) where T : class
    {
        try { return JsonSerializer.Deserialize<T>((byte[])cached!, Json); }
        catch (JsonException) { return null; }
    }

    /// <summary>Deletes every related key in one pipeline. Redis trouble is logged, not thrown: the write already committed.</summary>
    public async Task InvalidateAsync(params IEnumerable<RedisKey> keys)
    {
        var distinct = keys.Distinct().ToList();
        foreach (var key in distinct)
            if (inFlight.TryRemove(key.ToString(), out var flight)) flight.Invalidated = true;
        try { await RedisStore.DeleteManyAsync(Db, distinct).WaitAsync(Budget * 4, clock); }
        catch (Exception e) when (IsRedisTrouble(e)) { LogInvalidateFailed(e.GetType().Name); }
    }

    /// <summary>
    /// The current generation of a family of keys (e.g. every search result): put it in the key, and
    /// <see cref="BumpGenerationAsync"/> makes all older entries unreachable at once. 0 when Redis is away.
    /// </summary>
    public async Task<long> GenerationAsync(string family)
    {
        try { return (long?)await Db.StringGetAsync(GenerationKey(family)).WaitAsync(Budget, clock) ?? 0; }
        catch (Exception e) when (IsRedisTrouble(e)) { return 0; }
    }

    public async Task BumpGenerationAsync(string family)
    {
        // A day outlives every cache entry of the family; an expired counter restarts at 1 while
        // the entries it guarded are long gone.
        try { await RedisScript.Named("increment").EvaluateAsync(Db, [GenerationKey(family)], [1, (long)TimeSpan.FromDays(1).TotalMilliseconds]).WaitAsync(Budget * 4, clock); }
        catch (Exception e) when (IsRedisTrouble(e)) { LogInvalidateFailed(e.GetType().Name); }
    }

    static RedisKey GenerationKey(string family) => RedisKeys.Cache("generation", family);

    /// <summary>One load per key at a time; later callers await the leader's.</summary>
    sealed class Flight
    {
        public Lazy<Task<object?>> Value = null!;
        public volatile bool Invalidated;
    }

    async Task<T?> SingleFlight<T>(RedisKey key, Func<Flight, Task<T?>> load) where T : class
    {
        var flight = inFlight.GetOrAdd(key.ToString(), _ =>
        {
            var f = new Flight();
            f.Value = new Lazy<Task<object?>>(async () => await load(f));
            return f;
        });
        try { return (T?)await flight.Value.Value; }
        finally { inFlight.TryRemove(new KeyValuePair<string, Flight>(key.ToString(), flight)); }
    }

    async Task<T?> TryRead<T>(RedisKey key) where T : class
    {
        try
        {
            var value = await Db.StringGetAsync(key).WaitAsync(Budget, clock);
            return value.IsNull ? null : Decode<T>(value);
        }
        catch (Exception e) when (IsRedisTrouble(e)) { return null; }
    }

    Task<T?> Load<T>(string cacheName, Func<CancellationToken, Task<T?>> load)
    {
        metrics.Load(cacheName);
        return load(CancellationToken.None);
    }

    async Task TryWrite(string cacheName, RedisKey key, byte[] value, TimeSpan ttl)
    {
        var jittered = ttl * (1 + Random.Shared.NextDouble() * options.Value.Jitter);
        try
        {
            var start = Stopwatch.GetTimestamp();
            await Db.StringSetAsync(key, value, jittered).WaitAsync(Budget, clock);
            RedisLatency.Record(Db, start);
        }
        catch (Exception e) when (IsRedisTrouble(e)) { LogWriteFailed(cacheName, e.GetType().Name); }
    }

    static bool IsRedisTrouble(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException;

    [LoggerMessage(LogLevel.Warning, "Cache {Cache}: Redis unavailable ({Reason}); served from PostgreSQL")]
    partial void LogFallback(string cache, string reason);

    [LoggerMessage(LogLevel.Warning, "Cache {Cache}: write skipped ({Reason})")]
    partial void LogWriteFailed(string cache, string reason);

    [LoggerMessage(LogLevel.Warning, "Cache invalidation failed ({Reason}); entries expire by TTL")]
    partial void LogInvalidateFailed(string reason);
}
