namespace Ombaro.Api.Infrastructure.Caching;

/// <summary>
/// An in-process first level in front of <see cref="CacheAside"/> for public hot reads (vendor detail, search):
/// <list type="bullet">
/// <item>a value is kept per instance for <see cref="CacheOptions.L1Ttl"/>, measured on the app's <see cref="TimeProvider"/>;</item>
/// <item>an invalidation drops the entry here at once and is published on <see cref="RedisKeys.L1Invalidations"/> (cache
/// Redis), so every other instance drops it when the message arrives; a lost message costs at most the TTL;</item>
/// <item>a load that an invalidation overtook (its value may predate the write) is served but not kept;</item>
/// <item>when the cache Redis connection comes back the whole L1 is dropped: messages may have been missed meanwhile;</item>
/// <item>at most <see cref="CacheOptions.L1MaxEntries"/> entry units are kept (an entry weighs what its writer says):
/// when full, expired entries are swept, and while none has expired a new value is served, not kept.</item>
/// </list>
/// </summary>
public sealed partial class L1Cache(RedisConnections redis, IOptions<CacheOptions> options, CacheMetrics metrics, TimeProvider clock,
    ILogger<L1Cache> logger)
{
    const string KeyMessage = "key:", FamilyMessage = "family:";
    /// <summary>Prefixes this instance's messages: it dropped the entries already, so its own echo is ignored.</summary>
    readonly string sender = Guid.NewGuid().ToString("N") + " ";
    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    long version, weight;
    DateTimeOffset nextSweep = DateTimeOffset.MinValue;

    sealed record Entry(object Value, string? Family, DateTimeOffset Expires, int Weight);

    TimeSpan Ttl => options.Value.L1Ttl;

    /// <summary>Entry units held now (each entry counts its weight).</summary>
    public long Weight => Interlocked.Read(ref weight);

    /// <summary>The value kept for <paramref name="key"/>, or <paramref name="load"/>'s (kept unless an invalidation overtook it).</summary>
    /// <param name="family">entries of one family are dropped together by <see cref="InvalidateFamilyAsync"/></param>
    /// <param name="weigh">how many entry units the value counts for against <see cref="CacheOptions.L1MaxEntries"/> (1 if null)</param>
    public ValueTask<T?> GetOrLoadAsync<T>(string cacheName, string key, string? family, Func<Task<T?>> load, Func<T, int>? weigh = null)
        where T : class
    {
        if (Find<T>(key) is { } hit)
        {
            metrics.L1Hit(cacheName);
            return ValueTask.FromResult<T?>(hit);
        }
        metrics.L1Miss(cacheName);
        return LoadAsync(key, family, load, weigh);
    }

    T? Find<T>(string key) where T : class =>
        entries.TryGetValue(key, out var entry) && entry.Value is T hit && clock.GetUtcNow() < entry.Expires ? hit : null;

    async ValueTask<T?> LoadAsync<T>(string key, string? family, Func<Task<T?>> load, Func<T, int>? weigh) where T : class
    {
        var seen = Interlocked.Read(ref version);
        var value = await load();
        if (value is not null && Ttl > TimeSpan.Zero) Keep(key, new Entry(value, family, clock.GetUtcNow() + Ttl, weigh?.Invoke(value) ?? 1), seen);
        return value;
    }

    /// <summary>
    /// The current generation of a family (<see cref="CacheAside.GenerationAsync"/>), kept like a value of that family
    /// (not counted: the entry it leads to is): <see cref="InvalidateFamilyAsync"/> drops it with the family's entries.
    /// </summary>
    public async ValueTask<long> GenerationAsync(CacheAside cache, string family)
    {
        var key = "generation:" + family;
        return (Find<object>(key) ?? await LoadAsync<object>(key, family, async () => await cache.GenerationAsync(family), null)) is long g ? g : 0;
    }

    void Keep(string key, Entry entry, long seen)
    {
        if (!HasRoom(entry.Weight) && !(Sweep() && HasRoom(entry.Weight))) return;
        while (true)
        {
            if (entries.TryGetValue(key, out var old))
            {
                if (!entries.TryUpdate(key, entry, old)) continue;
                Interlocked.Add(ref weight, entry.Weight - old.Weight);
            }
            else if (entries.TryAdd(key, entry)) Interlocked.Add(ref weight, entry.Weight);
            else continue;
            break;
        }
        // An invalidation that ran while the value loaded may have missed this entry: take it back out.
        if (Interlocked.Read(ref version) != seen) Remove(key, entry);
    }

    bool HasRoom(int units) => Interlocked.Read(ref weight) + units <= options.Value.L1MaxEntries;

    /// <summary>Drops expired entries, at most once per earliest expiry (false when it was not time yet).</summary>
    bool Sweep()
    {
        var now = clock.GetUtcNow();
        lock (entries)
        {
            if (now < nextSweep) return false;
            var earliest = DateTimeOffset.MaxValue;
            foreach (var (key, entry) in entries)
            {
                if (entry.Expires <= now) Remove(key, entry);
                else if (entry.Expires < earliest) earliest = entry.Expires;
            }
            nextSweep = earliest;
            return true;
        }
    }

    void Remove(string key, Entry entry)
    {
        if (entries.TryRemove(new KeyValuePair<string, Entry>(key, entry))) Interlocked.Add(ref weight, -entry.Weight);
    }

    /// <summary>Drops the entry here, then on every other instance. Redis trouble is logged: the others drop it by TTL.</summary>
    public Task InvalidateAsync(string key)
    {
        DropKey(key);
        return PublishAsync(sender + KeyMessage + key);
    }

    /// <summary>Drops every entry of <paramref name="family"/> (its generation included) here, then on every other instance.</summary>
    public Task InvalidateFamilyAsync(string family)
    {
        DropFamily(family);
        return PublishAsync(sender + FamilyMessage + family);
    }

    /// <summary>Drops every entry (after a reconnect, when invalidations may have been missed).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref version);
        foreach (var (key, entry) in entries) Remove(key, entry);
    }

    void DropKey(string key)
    {
        Interlocked.Increment(ref version);
        if (entries.TryGetValue(key, out var entry)) Remove(key, entry);
    }

    void DropFamily(string family)
    {
        Interlocked.Increment(ref version);
        foreach (var (key, entry) in entries)
            if (entry.Family == family) Remove(key, entry);
    }

    async Task PublishAsync(string message)
    {
        try { await redis.Cache.GetSubscriber().PublishAsync(RedisKeys.L1Invalidations, message).WaitAsync(options.Value.RedisBudget * 4, clock); }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException) { LogPublishFailed(e.GetType().Name); }
    }

    /// <summary>Subscribes to the invalidations; false (logged) when the cache Redis did not answer.</summary>
    async Task<bool> SubscribeAsync()
    {
        try
        {
            await redis.Cache.GetSubscriber().SubscribeAsync(RedisKeys.L1Invalidations, (_, message) => Received(message))
                .WaitAsync(options.Value.RedisBudget * 4, clock);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogSubscribeFailed(e.GetType().Name);
            return false;
        }
    }

    void Received(RedisValue message)
    {
        var text = message.ToString();
        if (text.StartsWith(sender, StringComparison.Ordinal)) return;
        text = text[(text.IndexOf(' ') + 1)..];
        if (text.StartsWith(KeyMessage, StringComparison.Ordinal)) DropKey(text[KeyMessage.Length..]);
        else if (text.StartsWith(FamilyMessage, StringComparison.Ordinal)) DropFamily(text[FamilyMessage.Length..]);
    }

    [LoggerMessage(LogLevel.Warning, "L1 invalidation not published ({Reason}); other instances drop the entry within Cache:L1Ttl")]
    partial void LogPublishFailed(string reason);

    [LoggerMessage(LogLevel.Warning, "L1 invalidations not subscribed ({Reason}); entries live for Cache:L1Ttl until the cache Redis is back")]
    partial void LogSubscribeFailed(string reason);

    [LoggerMessage(LogLevel.Information, "Cache Redis connection restored: L1 dropped (invalidations may have been missed)")]
    partial void LogCleared();

    /// <summary>
    /// Subscribes this instance to the invalidations; StackExchange.Redis re-subscribes after a reconnect. Any
    /// connection of the cache Redis coming back drops the L1 (and subscribes again if the first attempt failed).
    /// </summary>
    public sealed class Subscription(L1Cache l1, RedisConnections redis) : IHostedService
    {
        int subscribed;

        public async Task StartAsync(CancellationToken ct)
        {
            redis.Cache.ConnectionRestored += Restored;
            await SubscribeAsync();
        }

        async Task SubscribeAsync()
        {
            if (Interlocked.Exchange(ref subscribed, 1) == 1) return;
            if (!await l1.SubscribeAsync()) Volatile.Write(ref subscribed, 0);
        }

        void Restored(object? sender, ConnectionFailedEventArgs e)
        {
            l1.Clear();
            l1.LogCleared();
            _ = SubscribeAsync();
        }

        public Task StopAsync(CancellationToken ct)
        {
            redis.Cache.ConnectionRestored -= Restored;
            return Task.CompletedTask;
        }
    }
}
