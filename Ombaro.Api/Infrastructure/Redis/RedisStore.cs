namespace Ombaro.Api.Infrastructure.Redis;

/// <summary>
/// The seed's <c>RedisClient</c>, reduced to what the app uses: hashes whose every write sets a TTL in the same
/// step (no key it writes can live forever), and a pipelined bulk delete. JSON values go through
/// <c>CacheAside</c>, counters and decisions through Lua scripts (<see cref="RedisScript"/>).
/// </summary>
public sealed class RedisStore(IDatabase db)
{
    /// <summary>HSET and PEXPIRE in one MULTI/EXEC: the hash never exists without a TTL.</summary>
    public async Task SetHashAsync(RedisKey key, IReadOnlyDictionary<string, string> fields, TimeSpan expiry)
    {
        var ttl = Checked(expiry);
        var start = Stopwatch.GetTimestamp();
        var tx = db.CreateTransaction();
        _ = tx.HashSetAsync(key, fields.Select(f => new HashEntry(f.Key, f.Value)).ToArray());
        _ = tx.KeyExpireAsync(key, ttl);
        await tx.ExecuteAsync();
        RedisLatency.Record(db, start);
    }

    public async Task<Dictionary<string, string>> GetHashAsync(RedisKey key)
    {
        var start = Stopwatch.GetTimestamp();
        var entries = await db.HashGetAllAsync(key);
        RedisLatency.Record(db, start);
        return entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
    }

    /// <summary>Deletes all keys in one pipeline (one round trip); keys may live in different cluster slots.</summary>
    public static async Task<long> DeleteManyAsync(IDatabase db, IEnumerable<RedisKey> keys)
    {
        var batch = db.CreateBatch();
        var deletes = keys.Distinct().Select(k => batch.KeyDeleteAsync(k)).ToList();
        batch.Execute();
        var results = await Task.WhenAll(deletes);
        return results.Count(deleted => deleted);
    }

    static TimeSpan Checked(TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "Every key needs a positive TTL.");
        return ttl;
    }
}
